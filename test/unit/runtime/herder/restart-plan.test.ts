import { ConnectorStateInfo } from '../../../../src/runtime/herder/herder';
import { restartPlan } from '../../../../src/runtime/herder/restart-plan';

const W = 'host:8083';
const status = (connector: 'RUNNING' | 'FAILED', tasks: Array<'RUNNING' | 'FAILED'>): ConnectorStateInfo => ({
  name: 'c',
  connector: { state: connector, worker_id: W },
  tasks: tasks.map((state, id) => ({ id, state, worker_id: W })),
  type: 'source',
});

describe("restartPlan (Kafka's RestartPlan)", () => {
  it('onlyFailed: the failed tasks only, the running connector kept', () => {
    const plan = restartPlan(status('RUNNING', ['RUNNING', 'FAILED']), { includeTasks: true, onlyFailed: true });
    expect(plan.restartConnector).toBe(false);
    expect(plan.taskIds).toEqual([1]);
    expect(plan.status.connector.state).toBe('RUNNING');
    expect(plan.status.tasks.map((t) => t.state)).toEqual(['RUNNING', 'RESTARTING']);
  });

  it('includeTasks without onlyFailed: everything', () => {
    const plan = restartPlan(status('RUNNING', ['RUNNING', 'RUNNING']), { includeTasks: true, onlyFailed: false });
    expect(plan.restartConnector).toBe(true);
    expect(plan.taskIds).toEqual([0, 1]);
    expect(plan.status.connector.state).toBe('RESTARTING');
  });

  it('onlyFailed without includeTasks: the connector when it failed, never tasks', () => {
    expect(restartPlan(status('FAILED', ['FAILED']), { includeTasks: false, onlyFailed: true })).toMatchObject({ restartConnector: true, taskIds: [] });
    expect(restartPlan(status('RUNNING', ['FAILED']), { includeTasks: false, onlyFailed: true })).toMatchObject({ restartConnector: false, taskIds: [] });
  });
});
