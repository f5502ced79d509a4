/** The version the FileStream connectors and tasks report: the package version, kept in this one place. */
export const FILE_CONNECTOR_VERSION = '0.1.0';
