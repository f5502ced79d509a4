import type { FastifyInstance } from 'fastify';
import { BadRequestError } from '../runtime/herder/herder-errors';
import type { Herder } from '../runtime/herder/herder';

const ALIAS_SUFFIX = 'Connector';

/** Kafka's normalization: FileStreamSourceConnector and FileStreamSource name the same plugin. */
function normalizedPluginName(name: string): string {
  return name.endsWith(ALIAS_SUFFIX) && name.length > ALIAS_SUFFIX.length ? name.slice(0, -ALIAS_SUFFIX.length) : name;
}

/** /connector-plugins: Kafka's ConnectorPluginsResource. */
export function registerConnectorPluginsResource(app: FastifyInstance, herder: Herder): void {
  app.get<{ Querystring: { connectorsOnly: boolean } }>(
    '/connector-plugins',
    { schema: { querystring: { type: 'object', properties: { connectorsOnly: { type: 'boolean', default: true } } } } },
    async (request) => herder.connectorPlugins(request.query.connectorsOnly),
  );

  app.get<{ Params: { plugin: string } }>('/connector-plugins/:plugin/config', async (request) => herder.connectorPluginConfig(request.params.plugin));

  app.put<{ Params: { plugin: string }; Body: Record<string, string> }>(
    '/connector-plugins/:plugin/config/validate',
    { schema: { body: { type: 'object', additionalProperties: { type: 'string' } } } },
    async (request) => {
      const { plugin } = request.params;
      const included = request.body['connector.class'];
      if (included !== undefined && !normalizedPluginName(included).endsWith(normalizedPluginName(plugin))) {
        throw new BadRequestError(`Included connector type ${included} does not match request type ${plugin}`);
      }
      return herder.validateConnectorConfig(plugin, request.body);
    },
  );
}
