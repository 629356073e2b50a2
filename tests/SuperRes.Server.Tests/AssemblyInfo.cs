// Each test server counts on its own meter and Prometheus registry, so test classes run side by side; at most
// two at a time, as the servers' models share the machine's cores.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
