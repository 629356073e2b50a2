// Training runs use both cores; running two at once only makes each slower.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
