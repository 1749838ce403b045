"""The benchmark of issue 7: a large network (seed.py), a floor page that only
the benchmark serves (settings.py, urls.py, views.py) and the measuring run
(runner.py). Driven by `make bench`; see README.md, "Benchmark"."""
