import type { FastifyInstance, FastifyReply } from 'fastify';
import { BadRequestError, NotFoundError } from '../runtime/herder/herder-errors';
import type { ConnectorOffsets, Herder, TargetState } from '../runtime/herder/herder';
import { RuntimeLogger } from '../runtime/runtime-logger';

type NameParams = { connector: string };
type TaskParams = { connector: string; task: string };

const nameParams = { type: 'object', properties: { connector: { type: 'string' } }, required: ['connector'] } as const;
const forwardQuery = { forward: { type: 'boolean' } } as const;
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

const createBody = {
  type: 'object',
  required: ['config'],
  properties: {
    name: { type: 'string' },
    config: stringMap,
    initial_state: { type: 'string', enum: ['RUNNING', 'PAUSED', 'STOPPED'] },
  },
} as const;

const offsetsBody = {
  type: 'object',
  properties: {
    offsets: {
      type: 'array',
      items: {
        type: 'object',
        required: ['partition'],
        properties: { partition: { type: 'object', additionalProperties: true }, offset: { type: ['object', 'null'], additionalProperties: true } },
      },
    },
  },
} as const;

/** Kafka's check: a name in the body must be the name in the URL; a missing one is filled in. */
function withName(name: string, config: Record<string, string>): Record<string, string> {
  const included = config.name;
  if (included !== undefined && included !== name) {
    throw new BadRequestError(`Connector name configuration (${included}) doesn't match connector name in the URL (${name})`);
  }
  return { ...config, name };
}

/** A task id in the path: an integer, else 404 as Jersey answers a path parameter it cannot convert. */
function taskId(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new NotFoundError('HTTP 404 Not Found');
  return Number(text);
}

function location(name: string): string {
  return `/connectors/${encodeURIComponent(name)}`;
}

/**
 * /connectors: Kafka's ConnectorsResource. Each route is one herder call; status codes as Kafka
 * (POST 201 with Location, PUT config 201 or 200, pause/resume 202, stop, DELETE and task restart 204,
 * restart 204 or 202 with the status). `forward` is accepted and ignored (one worker).
 */
export function registerConnectorsResource(app: FastifyInstance, herder: Herder, logger: RuntimeLogger): void {
  app.get<{ Querystring: { expand?: string[] } }>(
    '/connectors',
    { schema: { querystring: { type: 'object', properties: { expand: { type: 'array', items: { type: 'string' } } } } } },
    async (request) => {
      const expand = request.query.expand;
      if (expand === undefined) return herder.connectors();
      const out: Record<string, Record<string, unknown>> = {};
      for (const name of herder.connectors()) {
        try {
          const expansions: Record<string, unknown> = {};
          for (const e of expand) {
            if (e === 'status') expansions.status = herder.connectorStatus(name);
            else if (e === 'info') expansions.info = herder.connectorInfo(name);
            else logger.info(`Ignoring unknown expansion type ${e}`);
          }
          out[name] = expansions;
        } catch (err) {
          if (!(err instanceof NotFoundError)) throw err; // deleted meanwhile: left out, as Kafka does
        }
      }
      return out;
    },
  );

  app.post<{ Body: { name?: string; config: Record<string, string>; initial_state?: TargetState } }>(
    '/connectors',
    { schema: { body: createBody, querystring: { type: 'object', properties: forwardQuery } } },
    async (request, reply) => {
      const name = (request.body.name ?? '').trim();
      const config = withName(name, request.body.config);
      const { info } = await herder.putConnectorConfig(name, config, { allowReplace: false, initialState: request.body.initial_state });
      return reply.code(201).header('location', location(name)).send(info);
    },
  );

  app.get<{ Params: NameParams }>('/connectors/:connector', { schema: { params: nameParams } }, async (request) => herder.connectorInfo(request.params.connector));

  app.get<{ Params: NameParams }>('/connectors/:connector/config', { schema: { params: nameParams } }, async (request) => herder.connectorConfig(request.params.connector));

  app.put<{ Params: NameParams; Body: Record<string, string> }>('/connectors/:connector/config', { schema: { params: nameParams, body: stringMap } }, async (request, reply) => {
    const name = request.params.connector;
    const { created, info } = await herder.putConnectorConfig(name, withName(name, request.body), { allowReplace: true });
    if (created) reply.code(201).header('location', location(name));
    return reply.send(info);
  });

  app.patch<{ Params: NameParams; Body: Record<string, string | null> }>(
    '/connectors/:connector/config',
    { schema: { params: nameParams, body: { type: 'object', additionalProperties: { type: ['string', 'null'] } } } },
    async (request) => herder.patchConnectorConfig(request.params.connector, request.body),
  );

  app.get<{ Params: NameParams }>('/connectors/:connector/status', { schema: { params: nameParams } }, async (request) => herder.connectorStatus(request.params.connector));

  app.get<{ Params: NameParams }>('/connectors/:connector/topics', { schema: { params: nameParams } }, async (request) => {
    const name = request.params.connector;
    return { [name]: { connector: name, topics: herder.connectorActiveTopics(name) } };
  });

  app.put<{ Params: NameParams }>('/connectors/:connector/topics/reset', { schema: { params: nameParams } }, async (request, reply) => {
    herder.resetConnectorActiveTopics(request.params.connector);
    return accepted(reply);
  });

  app.put<{ Params: NameParams }>('/connectors/:connector/pause', { schema: { params: nameParams } }, async (request, reply) => {
    await herder.pauseConnector(request.params.connector);
    return accepted(reply);
  });

  app.put<{ Params: NameParams }>('/connectors/:connector/resume', { schema: { params: nameParams } }, async (request, reply) => {
    await herder.resumeConnector(request.params.connector);
    return accepted(reply);
  });

  app.put<{ Params: NameParams }>('/connectors/:connector/stop', { schema: { params: nameParams, querystring: { type: 'object', properties: forwardQuery } } }, async (request, reply) => {
    await herder.stopConnector(request.params.connector);
    return reply.code(204).send();
  });

  app.post<{ Params: NameParams; Querystring: { includeTasks: boolean; onlyFailed: boolean } }>(
    '/connectors/:connector/restart',
    {
      schema: {
        params: nameParams,
        querystring: { type: 'object', properties: { includeTasks: { type: 'boolean', default: false }, onlyFailed: { type: 'boolean', default: false }, ...forwardQuery } },
      },
    },
    async (request, reply) => {
      const { includeTasks, onlyFailed } = request.query;
      const status = await herder.restartConnector(request.params.connector, { includeTasks, onlyFailed });
      return status === null ? reply.code(204).send() : reply.code(202).send(status);
    },
  );

  app.get<{ Params: NameParams }>('/connectors/:connector/tasks', { schema: { params: nameParams } }, async (request) => herder.taskConfigs(request.params.connector));

  app.get<{ Params: TaskParams }>('/connectors/:connector/tasks/:task/status', async (request) => herder.taskStatus(request.params.connector, taskId(request.params.task)));

  app.post<{ Params: TaskParams }>('/connectors/:connector/tasks/:task/restart', { schema: { querystring: { type: 'object', properties: forwardQuery } } }, async (request, reply) => {
    await herder.restartTask(request.params.connector, taskId(request.params.task));
    return reply.code(204).send();
  });

  app.delete<{ Params: NameParams }>('/connectors/:connector', { schema: { params: nameParams, querystring: { type: 'object', properties: forwardQuery } } }, async (request, reply) => {
    await herder.deleteConnector(request.params.connector);
    return reply.code(204).send();
  });

  app.get<{ Params: NameParams }>('/connectors/:connector/offsets', { schema: { params: nameParams } }, async (request) => herder.connectorOffsets(request.params.connector));

  app.patch<{ Params: NameParams; Body: Partial<ConnectorOffsets> }>('/connectors/:connector/offsets', { schema: { params: nameParams, body: offsetsBody } }, async (request) => {
    const offsets = request.body?.offsets;
    if (!offsets || offsets.length === 0) throw new BadRequestError('Partitions / offsets need to be provided for an alter offsets request');
    return { message: await herder.alterConnectorOffsets(request.params.connector, { offsets: offsets.map((o) => ({ partition: o.partition, offset: o.offset ?? null })) }) };
  });

  app.delete<{ Params: NameParams }>('/connectors/:connector/offsets', { schema: { params: nameParams } }, async (request) => ({
    message: await herder.resetConnectorOffsets(request.params.connector),
  }));
}

function accepted(reply: FastifyReply): FastifyReply {
  return reply.code(202).send();
}
