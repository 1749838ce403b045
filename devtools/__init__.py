"""Tools for developers: the demo data (`seed_demo`) and the benchmark
(`seed_bench`, `bench`). Installed under config.settings.local,
config.settings.test and devtools.bench.settings only, never in production;
devtools may import any app, and no app imports it."""
