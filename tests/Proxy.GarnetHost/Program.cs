using Garnet;

// Runs Garnet with the given garnet-server arguments until standard input closes: the Redis test fixture
// (tests/Proxy.Traffic.Tests/State/Redis/RedisServer.cs) starts it when redis-server is not on PATH and holds its input
// open, so the server dies with the test process even when that process is killed.
using var server = new GarnetServer(args);
server.Start();
await Console.In.ReadToEndAsync();
