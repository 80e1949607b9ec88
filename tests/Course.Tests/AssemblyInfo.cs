// libtorch's default random generator is process-wide: tests that seed it (manual_seed) and then initialise a
// model or draw dropout masks would see each other's draws if they ran in parallel. Run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
