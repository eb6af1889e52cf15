// Output scripts evaluated over intervals of two records, as queries and uploaders do, and on
// live values, as /status does; per evaluation, for the IoTaWatt's 15 inputs:
//   BM_OriginalScript  "@1+@2-(@3>#0)" in the original's syntax, Watts
//   BM_ReadableScript  the same formula as "Mains_A + Main_B - max(Solar, 0)", Watts
//   BM_ScriptVA        the same, in VA (three whole-script passes, as the original's rule)
//   BM_WideScript      the sum of all 14 CTs, Wh
//   BM_LiveScript      the first formula on live values
// Reports evaluations/s; one evaluation is also what an integrator costs per second.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "calc/calculator.h"
#include "calc/interval_operands.h"
#include "calc/live_operands.h"
#include "calc/value.h"

namespace {

namespace calc = iw::calc;
namespace config = iw::config;
namespace measure = iw::measure;

config::Config household() {
  config::Config c;
  c.inputs.resize(config::kMaxChannels);
  for (int ch = 0; ch < config::kMaxChannels; ++ch) {
    config::Input in;
    in.channel = ch;
    in.name = ch == 0   ? "Voltage"
              : ch == 1 ? "Mains_A"
              : ch == 2 ? "Main_B"
              : ch == 3 ? "Solar"
                        : "ct" + std::to_string(ch);
    in.type = ch == 0 ? config::InputType::kVT : config::InputType::kCT;
    c.inputs[static_cast<size_t>(ch)] = in;
  }
  return c;
}

struct Interval {
  std::vector<iw::measure::ChannelCounters> older{15}, newer{15};
  Interval() {
    for (size_t ch = 0; ch < 15; ++ch) {
      newer[ch].wh_import.add(100.0 * static_cast<double>(ch));
      newer[ch].wh_export.add(ch == 3 ? 400 : 0);
      newer[ch].vah.add(130.0 * static_cast<double>(ch) + 500);
      newer[ch].varh.add(20.0 * static_cast<double>(ch));
      newer[ch].vh.add(230);
      newer[ch].ah.add(0.5 * static_cast<double>(ch));
      newer[ch].hzh.add(50);
    }
  }
};

void run(benchmark::State& state, const std::string& text, config::ScriptSyntax syntax, calc::Unit unit) {
  const config::Config cfg = household();
  auto calculator = calc::Calculator::Compile(cfg);
  auto script = calc::Calculator::CompileOne(cfg, text, syntax);
  if (!calculator || !script) {
    state.SkipWithError("does not compile");
    return;
  }
  const Interval iv;
  for (auto _ : state) {
    const calc::IntervalOperands ops(calculator->inputs(), iv.older, iv.newer, 1.0);
    benchmark::DoNotOptimize(calc::value_of(script.value(), unit, ops));
  }
  state.counters["evaluations/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_OriginalScript(benchmark::State& s) {
  run(s, "@1+@2-(@3>#0)", config::ScriptSyntax::kOriginal, calc::Unit::kWatts);
}
void BM_ReadableScript(benchmark::State& s) {
  run(s, "Mains_A + Main_B - max(Solar, 0)", config::ScriptSyntax::kReadable, calc::Unit::kWatts);
}
void BM_ScriptVA(benchmark::State& s) { run(s, "@1+@2-(@3>#0)", config::ScriptSyntax::kOriginal, calc::Unit::kVA); }
void BM_WideScript(benchmark::State& s) {
  std::string sum = "@1";
  for (int ch = 2; ch < 15; ++ch) sum += "+@" + std::to_string(ch);
  run(s, sum, config::ScriptSyntax::kOriginal, calc::Unit::kWh);
}

void BM_LiveScript(benchmark::State& state) {
  const config::Config cfg = household();
  auto calculator = calc::Calculator::Compile(cfg);
  auto script = calc::Calculator::CompileOne(cfg, "@1+@2-(@3>#0)", config::ScriptSyntax::kOriginal);
  std::vector<measure::ChannelValues> live(15, measure::ChannelValues{1000, 1200, 300, 230, 5, 50});
  const calc::LiveOperands ops(calculator.value(), live);
  for (auto _ : state) benchmark::DoNotOptimize(calc::value_of(script.value(), calc::Unit::kWatts, ops));
  state.counters["evaluations/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_OriginalScript);
BENCHMARK(BM_ReadableScript);
BENCHMARK(BM_ScriptVA);
BENCHMARK(BM_WideScript);
BENCHMARK(BM_LiveScript);

}  // namespace

BENCHMARK_MAIN();
