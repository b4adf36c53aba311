// SPDX-License-Identifier: GPL-3.0-or-later
// Micro-benchmarks of the data side (Google Benchmark): how fast the synthetic
// faces render and how fast the pipeline assembles a batch from the cache.
// The pipeline must stay far ahead of training (data wait under 5%).
#include <benchmark/benchmark.h>

#include "data/batch_loader.h"
#include "data/synthetic_faces.h"

namespace {

void BM_SyntheticFaces(benchmark::State& state) {
    latentlab::DecodeOptions o;
    o.size = static_cast<int>(state.range(0));
    o.workers = 1;
    for (auto _ : state) benchmark::DoNotOptimize(latentlab::synthetic_faces(1, 256, o));
    state.SetItemsProcessed(state.iterations() * 256);
}
BENCHMARK(BM_SyntheticFaces)->Arg(32)->Arg(64)->Unit(benchmark::kMillisecond);

void BM_AssembleBatch(benchmark::State& state) {
    latentlab::DecodeOptions o;
    o.size = static_cast<int>(state.range(0));
    auto data = std::make_shared<latentlab::DecodedImages>(latentlab::synthetic_faces(1, 1024, o));
    latentlab::BatchLoaderOptions lo;
    lo.batch_size = 128;
    lo.crop_size = o.size;
    lo.flip = true;
    latentlab::BatchLoader loader(data, lo);
    loader.start_epoch(0);
    std::int64_t b = 0;
    for (auto _ : state) benchmark::DoNotOptimize(loader.assemble(0, b++ % loader.batches_per_epoch()));
    state.SetItemsProcessed(state.iterations() * lo.batch_size);
}
BENCHMARK(BM_AssembleBatch)->Arg(32)->Arg(64)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
