/** The version JDBC connectors and tasks report (the package's). */
export const JDBC_CONNECTOR_VERSION = '0.1.0';
