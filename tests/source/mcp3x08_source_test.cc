#include "source/mcp3x08_source.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "source/emulated_mcp3x08.h"

namespace iw::source {
namespace {

using testing::EmulatedMcp3x08;
using testing::FakeClock;
using testing::quantize;

// A 50 Hz wave per pin and chip, phase-shifted per pin so a slot mix-up or a wrong instant
// changes the code.
double Wave(int chip, int pin, int64_t t_ns) {
  const double t = static_cast<double>(t_ns) * 1e-9;
  return 1.65 + 1.2 * std::sin(2 * std::numbers::pi * 50 * t + 0.7 * pin + 2.1 * chip);
}

struct Rig {
  FakeClock clock;
  // Preemption between a clock reading and the call it times: reading number preempt_read
  // (1-based) returns the time, then preempt_ns pass before anything else happens.
  size_t clock_reads = 0;
  size_t preempt_read = 0;
  int64_t preempt_ns = 0;
  // Scheduling noise: after every clock reading, up to jitter_ns (uniform) pass.
  int64_t jitter_ns = 0;
  std::mt19937_64 rng{42};
  std::vector<EmulatedMcp3x08*> chips;  // owned by the source
  std::unique_ptr<Mcp3x08Source> source;
  Board board;
};

struct RigOptions {
  int64_t transfer_ns = 25'000;
  int64_t entry_ns = 0;
  int64_t exit_ns = 0;
  size_t bufsiz = 4096;
  size_t alignment = 8;
};

std::unique_ptr<Rig> MakeRig(const std::string& board_name, SamplingPlan plan, RigOptions ro = {}) {
  auto rig = std::make_unique<Rig>();
  rig->board = find_board(board_name).value();
  std::vector<std::unique_ptr<SpiPort>> ports;
  for (size_t c = 0; c < rig->board.chip_count(); ++c) {
    EmulatedMcp3x08::Options o;
    o.chip = rig->board.chip;
    o.vref = rig->board.vref_volts;
    o.name = rig->board.spi_devices[c];
    o.transfer_ns = ro.transfer_ns;
    o.entry_ns = ro.entry_ns;
    o.exit_ns = ro.exit_ns;
    o.bufsiz = ro.bufsiz;
    o.alignment = ro.alignment;
    const int chip = static_cast<int>(c);
    auto emu =
        std::make_unique<EmulatedMcp3x08>(o, &rig->clock, [chip](int pin, int64_t t) { return Wave(chip, pin, t); });
    rig->chips.push_back(emu.get());
    ports.push_back(std::move(emu));
  }
  Mcp3x08Source::Options so;
  Rig* r = rig.get();
  so.clock = [r] {
    const int64_t now = r->clock.now_ns;
    if (++r->clock_reads == r->preempt_read) r->clock.now_ns += r->preempt_ns;
    if (r->jitter_ns > 0) r->clock.now_ns += std::uniform_int_distribution<int64_t>(0, r->jitter_ns)(r->rng);
    return now;
  };
  auto source = Mcp3x08Source::Create(rig->board, std::move(plan), std::move(ports), so);
  EXPECT_TRUE(source.ok()) << (source.ok() ? "" : source.error());
  if (!source.ok()) return nullptr;
  rig->source = std::move(source).value();
  return rig;
}

SamplingPlan Plan(std::vector<uint8_t> vts, std::vector<CurrentInput> cts, size_t frames = 512) {
  SamplingPlan p;
  p.voltage_inputs = std::move(vts);
  p.current_inputs = std::move(cts);
  p.frames_per_block = frames;
  return p;
}

SamplingPlan PiPlan(size_t frames = 512) { return Plan({0}, {{1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}, {6, 0}}, frames); }

SamplingPlan V5Plan(size_t frames = 64) {
  std::vector<CurrentInput> cts;
  for (uint8_t i = 1; i < 15; ++i) cts.push_back({i, 0});
  return Plan({0}, cts, frames);
}

// Every code equals what the emulated analog input gave at the instant the block declares.
void ExpectCodesMatchDeclaredInstants(const Rig& rig, const measure::SampleBlock& block) {
  for (size_t f = 0; f < block.frames(); ++f) {
    for (size_t s = 0; s < block.slots(); ++s) {
      const AdcAddress a = rig.board.inputs[block.scan[s]];
      const auto t = static_cast<int64_t>(std::llround(block.instant_ns(f, s)));
      ASSERT_EQ(block.code(f, s), quantize(rig.board.chip, rig.board.vref_volts, Wave(a.chip, a.pin, t)))
          << "frame " << f << " slot " << s << " input " << int{block.scan[s]};
    }
  }
}

TEST(Mcp3x08Source, SingleChipBlocksCarryTheAnalogValuesAtTheirInstants) {
  auto rig = MakeRig("pi-mcp3008-1vt6ct", PiPlan());
  ASSERT_TRUE(rig);
  measure::SampleBlock block;
  const int64_t t0 = rig->clock.now_ns;
  ASSERT_TRUE(rig->source->read(block));
  EXPECT_EQ(block.adc_bits, 10);
  EXPECT_EQ(block.scan, (std::vector<uint8_t>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(block.frames(), 512u);
  EXPECT_EQ(block.start_ns, t0);
  EXPECT_DOUBLE_EQ(block.conversion_ns, 25'000);
  ExpectCodesMatchDeclaredInstants(*rig, block);
  EXPECT_EQ(rig->source->last_timing().max_call_gap_ns, 0);
  EXPECT_FALSE(rig->source->last_timing().call_overhead_ns.has_value());  // equal calls
  EXPECT_NEAR(rig->source->conversions_per_second(), 40'000, 1e-6);

  // The next block continues exactly where this one ended.
  const double end = block.end_ns();
  ASSERT_TRUE(rig->source->read(block));
  EXPECT_DOUBLE_EQ(static_cast<double>(block.start_ns), end);
  ExpectCodesMatchDeclaredInstants(*rig, block);
}

TEST(Mcp3x08Source, BatchesHundredsOfConversionsPerCall) {
  auto rig = MakeRig("pi-mcp3008-1vt6ct", PiPlan());
  ASSERT_TRUE(rig);
  measure::SampleBlock block;
  ASSERT_TRUE(rig->source->read(block));
  const BlockTiming& t = rig->source->last_timing();
  EXPECT_EQ(t.conversions, 512u * 7);
  EXPECT_EQ(t.calls, rig->chips[0]->calls());
  EXPECT_LE(t.calls, 8u);
  EXPECT_GE(t.conversions / t.calls, 100u);
  EXPECT_LE(rig->chips[0]->largest_call(), 511u);
}

TEST(Mcp3x08Source, RespectsTheSpidevBufferLimit) {
  RigOptions ro;
  ro.alignment = 128;  // arm64 kernel with the default 4096-byte spidev buffer: 32 per call
  auto rig = MakeRig("pi-mcp3008-1vt6ct", PiPlan(100), ro);
  ASSERT_TRUE(rig);
  measure::SampleBlock block;
  ASSERT_TRUE(rig->source->read(block));  // the emulator fails any call over its limit
  EXPECT_LE(rig->chips[0]->largest_call(), 32u);
  EXPECT_EQ(rig->chips[0]->largest_call() % 7, 0u);  // calls hold whole frames
  ExpectCodesMatchDeclaredInstants(*rig, block);
}

TEST(Mcp3x08Source, IotaWattV5MapsInputs8To14ToChip1Pins1To7) {
  auto rig = MakeRig("iotawatt-v5", V5Plan());
  ASSERT_TRUE(rig);
  measure::SampleBlock block;
  ASSERT_TRUE(rig->source->read(block));
  EXPECT_EQ(block.adc_bits, 12);
  ASSERT_EQ(block.slots(), 15u);
  // Which pin of which chip produced each slot, from the emulators' own logs.
  const auto& log0 = rig->chips[0]->log();
  const auto& log1 = rig->chips[1]->log();
  ASSERT_EQ(log0.size(), 64u * 8);
  ASSERT_EQ(log1.size(), 64u * 7);
  for (size_t s = 0; s < 8; ++s) EXPECT_EQ(log0[s].pin, static_cast<int>(s));
  for (size_t s = 0; s < 7; ++s) EXPECT_EQ(log1[s].pin, static_cast<int>(s + 1));  // never pin 0
  for (size_t f = 0; f < 64; ++f) {
    for (size_t s = 0; s < 15; ++s) {
      const auto& c = s < 8 ? log0[f * 8 + s] : log1[f * 7 + (s - 8)];
      ASSERT_EQ(block.code(f, s), c.code) << f << "/" << s;
    }
  }
  // Calls switch chip within every frame: one per chip run.
  EXPECT_EQ(rig->source->last_timing().calls, 2u * 64);
  // Back-to-back calls: the measured slot offsets come out uniform, and exact.
  ExpectCodesMatchDeclaredInstants(*rig, block);
}

// When the emulated chips really converted each conversion of the block (codes[k] order),
// matched in order from their logs, which must hold just this block. Checks pins and codes.
std::vector<int64_t> TrueInstants(const Rig& rig, const measure::SampleBlock& block) {
  std::vector<size_t> next(rig.chips.size(), 0);
  std::vector<int64_t> t(block.codes.size());
  for (size_t k = 0; k < t.size(); ++k) {
    const AdcAddress a = rig.board.inputs[block.scan[k % block.slots()]];
    const auto& c = rig.chips[a.chip]->log().at(next[a.chip]++);
    EXPECT_EQ(c.pin, a.pin) << "conversion " << k;
    EXPECT_EQ(block.codes[k], c.code) << "conversion " << k;
    t[k] = c.t_ns;
  }
  return t;
}

// Largest |declared instant - true instant| over the block, after removing `common_ns`.
double MaxTimingError(const Rig& rig, const measure::SampleBlock& block, double common_ns = 0) {
  const std::vector<int64_t> t = TrueInstants(rig, block);
  double worst = 0;
  for (size_t k = 0; k < t.size(); ++k) {
    const double err = block.instant_ns(k / block.slots(), k % block.slots()) - static_cast<double>(t[k]) - common_ns;
    worst = std::max(worst, std::abs(err));
  }
  return worst;
}

// Largest error of a slot's instant relative to slot 0 of the same frame.
double MaxRelativeTimingError(const Rig& rig, const measure::SampleBlock& block) {
  const std::vector<int64_t> t = TrueInstants(rig, block);
  double worst = 0;
  for (size_t f = 0; f < block.frames(); ++f) {
    for (size_t s = 1; s < block.slots(); ++s) {
      const double declared = block.slot_ns(s) - block.slot_ns(0);
      const auto real = static_cast<double>(t[f * block.slots() + s] - t[f * block.slots()]);
      worst = std::max(worst, std::abs(declared - real));
    }
  }
  return worst;
}

void ClearLogs(Rig& rig) {
  for (EmulatedMcp3x08* chip : rig.chips) chip->clear_log();
}

TEST(Mcp3x08Source, MultiChipSlotOffsetsAreTheTrueConversionInstants) {
  RigOptions ro;
  ro.entry_ns = 15'000;  // 30 us of system call per call, split before and after the transfers
  ro.exit_ns = 15'000;
  auto rig = MakeRig("iotawatt-v5", V5Plan(), ro);
  ASSERT_TRUE(rig);
  measure::SampleBlock block;
  for (int b = 0; b < 3; ++b) {
    ClearLogs(*rig);
    const double previous_end = block.end_ns();
    ASSERT_TRUE(rig->source->read(block));
    if (b > 0) {
      EXPECT_DOUBLE_EQ(static_cast<double>(block.start_ns), previous_end);  // blocks tile
    }
    // Frame: 8 conversions on chip 0 and 7 on chip 1, each run wrapped in 30 us of overhead:
    // 15 * 25 + 2 * 30 = 435 us, the measured frame period.
    EXPECT_DOUBLE_EQ(block.frame_ns(), 435'000);
    const BlockTiming& t = rig->source->last_timing();
    ASSERT_TRUE(t.per_conversion_ns.has_value());
    EXPECT_NEAR(*t.per_conversion_ns, 25'000, 1);
    ASSERT_TRUE(t.call_overhead_ns.has_value());
    EXPECT_NEAR(*t.call_overhead_ns, 30'000, 1);
    // Slots 0-7 start 15 us into the frame, 25 us apart; chip 1's run starts after chip 0's
    // call returns (+15 us) and the next call's entry (+15 us).
    ASSERT_EQ(block.slot_offset_ns.size(), 15u);
    for (size_t s = 0; s < 15; ++s) {
      const double want =
          s < 8 ? 15'000 + 25'000.0 * static_cast<double>(s) : 245'000 + 25'000.0 * static_cast<double>(s - 8);
      EXPECT_NEAR(block.slot_offset_ns[s], want, 1) << s;
    }
    const double err = MaxTimingError(*rig, block);
    EXPECT_LT(err, 1'000) << "block " << b;
    RecordProperty("max_timing_error_ns_block_" + std::to_string(b), std::to_string(err));
    ExpectCodesMatchDeclaredInstants(*rig, block);  // codes are the wave at the declared instants
  }
  // Uniform spacing would have put slots up to 28 us off within a frame.
  measure::SampleBlock uniform = block;
  uniform.slot_offset_ns.clear();
  EXPECT_GT(MaxRelativeTimingError(*rig, uniform), 20'000);
}

TEST(Mcp3x08Source, UnevenCallOverheadShiftsAllSlotsAlike) {
  RigOptions ro;
  ro.entry_ns = 30'000;  // all of the overhead before the transfers: invisible to the clock
  auto rig = MakeRig("iotawatt-v5", V5Plan(), ro);
  ASSERT_TRUE(rig);
  measure::SampleBlock block;
  ASSERT_TRUE(rig->source->read(block));
  // The source assumes half before, half after: every instant 15 us early, slots still aligned.
  EXPECT_LT(MaxTimingError(*rig, block, -15'000), 1'000);
  EXPECT_LT(MaxRelativeTimingError(*rig, block), 1'000);
}

TEST(Mcp3x08Source, PreemptedCallDoesNotSkewTheSlotOffsets) {
  RigOptions ro;
  ro.entry_ns = 15'000;
  ro.exit_ns = 15'000;
  auto steady = MakeRig("iotawatt-v5", V5Plan(), ro);
  auto rig = MakeRig("iotawatt-v5", V5Plan(), ro);
  ASSERT_TRUE(steady && rig);
  rig->preempt_read = 2 * 60 + 1;  // the clock reading before chip 0's call in frame 30
  rig->preempt_ns = 2'000'000;     // 2 ms before that call reaches the driver
  measure::SampleBlock want, block;
  ASSERT_TRUE(steady->source->read(want));
  ASSERT_TRUE(rig->source->read(block));
  EXPECT_NEAR(*rig->source->last_timing().per_conversion_ns, 25'000, 1);
  EXPECT_NEAR(*rig->source->last_timing().call_overhead_ns, 30'000, 1);
  ASSERT_EQ(block.slot_offset_ns.size(), 15u);
  for (size_t s = 1; s < 15; ++s) {
    EXPECT_NEAR(block.slot_offset_ns[s] - block.slot_offset_ns[0], want.slot_offset_ns[s] - want.slot_offset_ns[0], 1)
        << s;
  }
}

TEST(Mcp3x08Source, JitteryCallTimingAveragesOut) {
  RigOptions ro;
  ro.entry_ns = 15'000;
  ro.exit_ns = 15'000;
  auto rig = MakeRig("iotawatt-v5", V5Plan(), ro);
  ASSERT_TRUE(rig);
  rig->jitter_ns = 5'000;  // up to 5 us between any clock reading and what follows it
  measure::SampleBlock block;
  for (int b = 0; b < 16; ++b) {
    ClearLogs(*rig);
    ASSERT_TRUE(rig->source->read(block));
  }
  EXPECT_NEAR(*rig->source->last_timing().per_conversion_ns, 25'000, 200);
  // Each slot's offset against its true mean offset over the block's frames, relative to
  // slot 0 (a common shift is ignored). Single frames vary by the jitter itself.
  const std::vector<int64_t> t = TrueInstants(*rig, block);
  std::vector<double> mean(block.slots(), 0);
  for (size_t k = 0; k < t.size(); ++k) {
    const size_t f = k / block.slots(), s = k % block.slots();
    mean[s] += (static_cast<double>(t[k] - block.start_ns) - block.frame_ns() * static_cast<double>(f)) /
               static_cast<double>(block.frames());
  }
  double worst = 0;
  for (size_t s = 1; s < block.slots(); ++s) {
    worst = std::max(worst, std::abs((block.slot_ns(s) - block.slot_ns(0)) - (mean[s] - mean[0])));
  }
  RecordProperty("max_slot_offset_error_ns", std::to_string(worst));
  EXPECT_LT(worst, 1'000);
}

TEST(Mcp3x08Source, EqualChipRunsTakeTheConversionTimeFromTheReferenceRead) {
  // VT 0, CTs 1, 8, 9: runs of 2 on each chip, so call sizes cannot separate the conversion
  // time from the overhead; the reference read at start-up (one 64-conversion call) bounds it.
  RigOptions ro;
  ro.entry_ns = 15'000;
  ro.exit_ns = 15'000;
  auto rig = MakeRig("iotawatt-v5", Plan({0}, {{1, 0}, {8, 0}, {9, 0}}, 256), ro);
  ASSERT_TRUE(rig);
  ASSERT_TRUE(rig->source->read_reference(64).ok());
  ClearLogs(*rig);
  measure::SampleBlock block;
  ASSERT_TRUE(rig->source->read(block));
  EXPECT_NEAR(*rig->source->last_timing().per_conversion_ns, 25'000 + 30'000.0 / 64, 1);
  EXPECT_FALSE(rig->source->last_timing().call_overhead_ns.has_value());  // never fitted
  EXPECT_LT(MaxTimingError(*rig, block), 1'000);
}

TEST(Mcp3x08Source, ChipRunWrappingIntoTheNextFrameKeepsSlotsAligned) {
  // VTs 0 and 8, CTs 1-3: the scan 0 | 8 | 1 2 3 ends on chip 0 where it begins, so chip 0's
  // run continues into the next frame and the block's first frame has one call more.
  RigOptions ro;
  ro.entry_ns = 15'000;
  ro.exit_ns = 15'000;
  auto rig = MakeRig("iotawatt-v5", Plan({0, 8}, {{1, 0}, {2, 0}, {3, 8}}, 64), ro);
  ASSERT_TRUE(rig);
  measure::SampleBlock block;
  ASSERT_TRUE(rig->source->read(block));
  EXPECT_EQ(rig->source->last_timing().calls, 2u * 64 + 1);
  EXPECT_NEAR(*rig->source->last_timing().per_conversion_ns, 25'000, 1);
  EXPECT_LT(MaxRelativeTimingError(*rig, block), 1'000);
  // The extra call's 30 us is spread over the block's frames like every frame period: frame
  // instants stray by up to half of it at the block's ends, alike for all slots of a frame.
  EXPECT_LT(MaxTimingError(*rig, block), 15'000 + 1'000);
}

TEST(Mcp3x08Source, SlotOffsetsOnlyForScansThatSpanChips) {
  SamplingPlan plan = Plan({0}, {{1, 0}, {8, 0}});
  plan.mode = SamplingMode::kRoundRobin;
  RigOptions ro;
  ro.entry_ns = 15'000;
  ro.exit_ns = 15'000;
  auto rig = MakeRig("iotawatt-v5", plan, ro);
  ASSERT_TRUE(rig);
  measure::SampleBlock block;
  for (const std::vector<uint8_t>& scan : std::vector<std::vector<uint8_t>>{{0, 0}, {1, 0}, {8, 0}, {0, 0}}) {
    ClearLogs(*rig);
    ASSERT_TRUE(rig->source->read(block));
    ASSERT_EQ(block.scan, scan);
    EXPECT_EQ(block.slot_offset_ns.size(), scan[0] == 8 ? 2u : 0u);
    EXPECT_LT(MaxRelativeTimingError(*rig, block), 1'000) << int{scan[0]};
  }
  auto pi = MakeRig("pi-mcp3008-1vt6ct", PiPlan(), ro);
  ASSERT_TRUE(pi);
  ASSERT_TRUE(pi->source->read(block));
  EXPECT_TRUE(block.slot_offset_ns.empty());
  EXPECT_FALSE(pi->source->last_timing().per_conversion_ns.has_value());
}

TEST(Mcp3x08Source, SingleChipSubsetOfIotaWattBatchesLikeOneChip) {
  auto rig = MakeRig("iotawatt-v5", Plan({0}, {{1, 0}, {2, 0}, {3, 0}}, 400));
  ASSERT_TRUE(rig);
  measure::SampleBlock block;
  ASSERT_TRUE(rig->source->read(block));
  EXPECT_EQ(rig->chips[1]->calls(), 0u);
  EXPECT_GE(rig->source->last_timing().conversions / rig->source->last_timing().calls, 100u);
  ExpectCodesMatchDeclaredInstants(*rig, block);
}

TEST(Mcp3x08Source, RoundRobinVisitsEachScanAndSizesCapturesByMeasuredRate) {
  SamplingPlan plan = Plan({0}, {{1, 0}, {8, 0}});
  plan.mode = SamplingMode::kRoundRobin;
  plan.conversions_per_second = 200'000;  // nominal, 5x the emulated 40 k/s
  auto rig = MakeRig("iotawatt-v5", plan);
  ASSERT_TRUE(rig);
  measure::SampleBlock block;
  const std::vector<std::vector<uint8_t>> want = {{0, 0}, {1, 0}, {8, 0}, {0, 0}};
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_TRUE(rig->source->read(block)) << i;
    EXPECT_EQ(block.scan, want[i]);
    ExpectCodesMatchDeclaredInstants(*rig, block);
    const double seconds = block.frame_ns() * static_cast<double>(block.frames()) * 1e-9;
    if (i > 0) {  // after the first block the rate is measured: captures cover 1.6 cycles
      EXPECT_GE(seconds, plan.capture_cycles / plan.nominal_hz);
      EXPECT_LT(seconds, 1.1 * plan.capture_cycles / plan.nominal_hz);
    }
  }
  EXPECT_NEAR(rig->source->conversions_per_second(), 40'000, 1);
}

TEST(Mcp3x08Source, ReadsThePrecisionReferencePin) {
  auto rig = MakeRig("iotawatt-v5", V5Plan());
  ASSERT_TRUE(rig);
  const EmulatedMcp3x08& chip1 = *rig->chips[1];
  auto r = rig->source->read_reference(64);
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(chip1.log().size(), 64u);
  EXPECT_EQ(rig->chips[0]->log().size(), 0u);
  double sum = 0;
  for (const auto& c : chip1.log()) {
    EXPECT_EQ(c.pin, 0);  // chip 1 pin 0 holds the reference
    sum += c.code;
  }
  EXPECT_DOUBLE_EQ(r->mean_code, sum / 64);
  EXPECT_DOUBLE_EQ(r->full_scale_volts, 2.5 * 4096 / r->mean_code);
}

TEST(Mcp3x08Source, ReferenceAtTrueVoltageGivesTheRealFullScale) {
  FakeClock clock;
  Board board = find_board("iotawatt-v5").value();
  std::vector<std::unique_ptr<SpiPort>> ports;
  const double real_vref = 3.28;  // what the board's regulator really gives
  for (size_t c = 0; c < 2; ++c) {
    EmulatedMcp3x08::Options o;
    o.name = board.spi_devices[c];
    o.vref = real_vref;
    ports.push_back(std::make_unique<EmulatedMcp3x08>(o, &clock, [](int, int64_t) { return 2.5; }));
  }
  Mcp3x08Source::Options so;
  so.clock = [&clock] { return clock.now_ns; };
  auto source = Mcp3x08Source::Create(board, V5Plan(), std::move(ports), so).value();
  auto r = source->read_reference();
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_NEAR(r->full_scale_volts, real_vref, real_vref / 4096 * 2);

  auto pi = MakeRig("pi-mcp3008-1vt6ct", PiPlan());
  ASSERT_TRUE(pi);
  EXPECT_FALSE(pi->source->read_reference().ok());
}

// Calls are timed on the monotonic clock; blocks land on the UNIX scale, and follow the
// system clock when it is set (NTP after a boot without an RTC) but not its jitter.
TEST(Mcp3x08Source, BlocksAreStampedOnTheUnixScaleAndReanchoredWhenTheClockIsSet) {
  FakeClock clock;
  clock.now_ns = 5'000'000'000;  // monotonic: seconds since boot
  Board board = find_board("pi-mcp3008-1vt6ct").value();
  std::vector<std::unique_ptr<SpiPort>> ports;
  EmulatedMcp3x08::Options o;
  o.chip = board.chip;
  o.vref = board.vref_volts;
  o.name = board.spi_devices[0];
  ports.push_back(std::make_unique<EmulatedMcp3x08>(o, &clock, [](int, int64_t) { return 1.0; }));
  int64_t unix_minus_monotonic = 1'700'000'000'000'000'000;
  Mcp3x08Source::Options so;
  so.clock = [&clock] { return clock.now_ns; };
  so.unix_clock = [&] { return clock.now_ns + unix_minus_monotonic; };
  auto source = Mcp3x08Source::Create(board, PiPlan(), std::move(ports), so).value();

  measure::SampleBlock block;
  int64_t monotonic_before = clock.now_ns;
  ASSERT_TRUE(source->read(block));
  EXPECT_GE(block.start_ns, monotonic_before + unix_minus_monotonic);
  EXPECT_LT(block.start_ns, clock.now_ns + unix_minus_monotonic);
  EXPECT_EQ(source->now_ns(), clock.now_ns + unix_minus_monotonic);

  unix_minus_monotonic += 400'000'000;  // jitter and slewing: the scale stays continuous
  const double contiguous_start = block.end_ns();
  ASSERT_TRUE(source->read(block));
  EXPECT_NEAR(static_cast<double>(block.start_ns), contiguous_start, 1e6);

  unix_minus_monotonic += 3'600'000'000'000;  // NTP sets the clock an hour on
  monotonic_before = clock.now_ns;
  ASSERT_TRUE(source->read(block));
  EXPECT_GE(block.start_ns, monotonic_before + unix_minus_monotonic);
  EXPECT_EQ(source->now_ns(), clock.now_ns + unix_minus_monotonic);
}

TEST(Mcp3x08Source, PortFailurePropagatesNamingTheDevice) {
  auto rig = MakeRig("iotawatt-v5", V5Plan());
  ASSERT_TRUE(rig);
  rig->chips[1]->fail_after(3, "Input/output error");
  measure::SampleBlock block;
  const Status s = rig->source->read(block);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("/dev/spidev0.1"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("Input/output error"), std::string::npos) << s.message();
  EXPECT_TRUE(rig->source->read(block));  // a transient error does not wedge the source
}

TEST(Mcp3x08Source, MissingChipIsReportedWithItsInput) {
  FakeClock clock;
  Board board = find_board("iotawatt-v5").value();
  std::vector<std::unique_ptr<SpiPort>> ports;
  for (size_t c = 0; c < 2; ++c) {
    EmulatedMcp3x08::Options o;
    o.name = board.spi_devices[c];
    o.floating_miso = c == 1;
    ports.push_back(std::make_unique<EmulatedMcp3x08>(o, &clock, [](int, int64_t) { return 1.0; }));
  }
  Mcp3x08Source::Options so;
  so.clock = [&clock] { return clock.now_ns; };
  auto source = Mcp3x08Source::Create(board, V5Plan(), std::move(ports), so).value();
  measure::SampleBlock block;
  const Status s = source->read(block);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("input 8"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("/dev/spidev0.1"), std::string::npos) << s.message();
}

TEST(Mcp3x08Source, CreateChecksPortsAndInputs) {
  FakeClock clock;
  auto one_port = [&] {
    std::vector<std::unique_ptr<SpiPort>> ports;
    ports.push_back(
        std::make_unique<EmulatedMcp3x08>(EmulatedMcp3x08::Options{}, &clock, [](int, int64_t) { return 1.0; }));
    return ports;
  };
  const Board v5 = find_board("iotawatt-v5").value();
  auto wrong_ports = Mcp3x08Source::Create(v5, V5Plan(), one_port(), {});
  ASSERT_FALSE(wrong_ports.ok());
  EXPECT_NE(wrong_ports.error().find("2 ADC chip(s) but 1 SPI port(s)"), std::string::npos);

  const Board pi = find_board("pi-mcp3008-1vt6ct").value();
  auto bad_input = Mcp3x08Source::Create(pi, Plan({0}, {{9, 0}}), one_port(), {});
  ASSERT_FALSE(bad_input.ok());
  EXPECT_NE(bad_input.error().find("input 9"), std::string::npos);

  auto empty = Mcp3x08Source::Create(pi, SamplingPlan{}, one_port(), {});
  EXPECT_FALSE(empty.ok());
}

TEST(Mcp3x08Source, StoppedClockIsAnError) {
  auto rig = MakeRig("pi-mcp3008-1vt6ct", PiPlan(), RigOptions{.transfer_ns = 0});
  ASSERT_TRUE(rig);
  measure::SampleBlock block;
  EXPECT_FALSE(rig->source->read(block));
}

TEST(Mcp3x08Source, DescribesItself) {
  auto rig = MakeRig("iotawatt-v5", V5Plan());
  ASSERT_TRUE(rig);
  EXPECT_EQ(rig->source->describe(),
            "mcp3208 x2 (/dev/spidev0.0, /dev/spidev0.1), board iotawatt-v5, continuous scan of 15 inputs");
}

}  // namespace
}  // namespace iw::source
