// Rule parse of one sentence (aim: <= 20 us). Prints Google Benchmark figures.
#include "actors/intent_rules.hpp"

#include <benchmark/benchmark.h>

namespace {

const std::vector<std::string> sites{"edge1", "edge2", "edge3", "edge4"};

const char* sentences[] = {
    "Deploy URLLC service with 1ms latency on edge01 and edge02",
    "Deploy 5G eMBB service with 1Gbps download and 500Mbps upload at edge1 for video "
    "streaming",
    "Deploy edge computing for smart city IoT sensors requiring massive connectivity for "
    "50,000 devices",
    "在 edge1 部署 eMBB，需要 500Mbps 下載速度，延遲 < 10ms",
    "Setup critical real-time communication",
};

void read_sentence(benchmark::State& state) {
  const char* text = sentences[state.range(0)];
  for (auto _ : state) {
    auto r = o2hub::read_intent_text(text, sites);
    benchmark::DoNotOptimize(r);
  }
  state.SetLabel(text);
}
BENCHMARK(read_sentence)->DenseRange(0, 4);

void read_and_build(benchmark::State& state) {
  o2hub::intent_request req;
  req.text = sentences[1];
  for (auto _ : state) {
    std::vector<std::string> defaulted;
    auto r = o2hub::read_intent_text(req.text, sites);
    auto x = o2hub::make_intent(r, req, sites, "intent-1", defaulted);
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(read_and_build);

} // namespace

BENCHMARK_MAIN();
