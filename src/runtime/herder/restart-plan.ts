import { ConnectorStateInfo, RestartRequest } from './herder';

/**
 * Kafka's RestartPlan: which of a connector and its tasks a restart request applies to, and the
 * status answered for it, with RESTARTING for each of them. onlyFailed limits it to what is FAILED;
 * tasks are included only with includeTasks.
 */
export interface RestartPlan {
  restartConnector: boolean;
  taskIds: number[];
  /** The status as it was, RESTARTING for what is restarted (HTTP 202's body). */
  status: ConnectorStateInfo;
}

export function restartPlan(status: ConnectorStateInfo, request: RestartRequest): RestartPlan {
  const restartConnector = !request.onlyFailed || status.connector.state === 'FAILED';
  const restartTask = (state: string): boolean => request.includeTasks && (!request.onlyFailed || state === 'FAILED');
  const taskIds = status.tasks.filter((t) => restartTask(t.state)).map((t) => t.id);
  return {
    restartConnector,
    taskIds,
    status: {
      ...status,
      connector: restartConnector ? { ...status.connector, state: 'RESTARTING' } : status.connector,
      tasks: status.tasks.map((t) => (taskIds.includes(t.id) ? { ...t, state: 'RESTARTING' } : t)),
    },
  };
}
