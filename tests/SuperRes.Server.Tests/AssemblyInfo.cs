// The servers of different test classes share the process-wide Prometheus registry, and the limit tests
// read counters from it: run the classes one after another so no other server moves those counters.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
