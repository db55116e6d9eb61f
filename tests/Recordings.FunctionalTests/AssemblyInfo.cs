// Each test class starts real hosts (processes, servers); two at a time suits a 2-core machine.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
