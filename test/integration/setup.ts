// Integration tests start brokers and processes; the first consumer-group join alone takes ~3 s.
jest.setTimeout(120000);
