import { ConnectError, ConnectErrorOptions } from '../../api';

/**
 * Errors the herder raises for requests it cannot carry out, each with the HTTP status Kafka's REST
 * API answers them with (Kafka's NotFoundException, AlreadyExistsException, BadRequestException,
 * ConnectRestException). The REST layer maps `status` to the response; the CLI reports the message.
 */
export class HerderRequestError extends ConnectError {
  constructor(
    message: string,
    readonly status: number,
    options: ConnectErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** 404: no such connector, task or plugin. */
export class NotFoundError extends HerderRequestError {
  constructor(message: string, options: ConnectErrorOptions = {}) {
    super(message, 404, options);
  }

  static connector(name: string): NotFoundError {
    return new NotFoundError(`Connector ${name} not found`);
  }

  static task(connector: string, task: number): NotFoundError {
    return new NotFoundError(`Task ${connector}-${task} not found`);
  }
}

/** 409: a connector of that name exists already (POST /connectors). */
export class AlreadyExistsError extends HerderRequestError {
  constructor(message: string, options: ConnectErrorOptions = {}) {
    super(message, 409, options);
  }
}

/** 400: the request is well-formed but not acceptable (an invalid config, offsets of a connector not STOPPED). */
export class BadRequestError extends HerderRequestError {
  constructor(message: string, options: ConnectErrorOptions = {}) {
    super(message, 400, options);
  }
}

/** 409: the request conflicts with work under way (e.g. a restart while the connector is being reconfigured). */
export class ConflictError extends HerderRequestError {
  constructor(message: string, options: ConnectErrorOptions = {}) {
    super(message, 409, options);
  }
}
