#include "query/series.h"

#include <gtest/gtest.h>

#include "query/query_testing.h"

namespace iw::query {
namespace {

using testing::TestConfig;

constexpr int64_t kMicros = 1000000;

// Two records half an hour of monitoring apart with known counter increases:
//   Voltage: 120 Vh, 25 Hzh           -> 240 V, 50 Hz
//   Main:    import 600 Wh, export 100 Wh, 750 VAh, 300 VARh, 120 Vh, 3 Ah
//   Solar:   import 10 Wh, export 260 Wh (exporting), 300 VAh, 80 VARh, 121 Vh, 1.25 Ah
//   Total:   nothing (a CT with no load)
struct Pair {
  datalog::Record older, newer;
  Interval interval() const { return {&older, &newer}; }
};

void set(measure::Counter& c, double units) { c.set(static_cast<int64_t>(units * kMicros)); }

Pair MakePair() {
  Pair p;
  p.older.time = testing::kT0;
  p.older.monitored_us = 7200 * kMicros;
  p.older.channels.resize(5);
  // Non-zero starting totals: only differences matter.
  for (auto& c : p.older.channels) {
    set(c.wh_import, 1e6);
    set(c.wh_export, 5e5);
    set(c.vah, 2e6);
    set(c.varh, 7e5);
    set(c.vh, 3e6);
    set(c.ah, 9e3);
    set(c.hzh, 4e5);
  }
  p.newer = p.older;
  p.newer.time = testing::kT0 + 3600;  // an outage: wall time 1 h, monitored 0.5 h
  p.newer.monitored_us += 1800 * kMicros;
  auto add = [](measure::Counter& c, double units) { c.set(c.micros() + static_cast<int64_t>(units * kMicros)); };
  auto& v = p.newer.channels[0];
  add(v.vh, 120);
  add(v.hzh, 25);
  auto& m = p.newer.channels[1];
  add(m.wh_import, 600);
  add(m.wh_export, 100);
  add(m.vah, 750);
  add(m.varh, 300);
  add(m.vh, 120);
  add(m.ah, 3);
  auto& s = p.newer.channels[2];
  add(s.wh_import, 10);
  add(s.wh_export, 260);
  add(s.vah, 300);
  add(s.varh, 80);
  add(s.vh, 121);
  add(s.ah, 1.25);
  return p;
}

class SeriesTest : public ::testing::Test {
 protected:
  std::optional<double> value(const char* name, Unit unit) const {
    const Series* s = catalog_.find(name);
    EXPECT_NE(s, nullptr) << name;
    return s ? s->value(pair_.interval(), unit) : std::nullopt;
  }
  config::Config config_ = TestConfig();
  SeriesCatalog catalog_ = SeriesCatalog::FromConfig(config_);
  Pair pair_ = MakePair();
};

TEST_F(SeriesTest, IntervalHoursAreMonitoredHours) {
  EXPECT_DOUBLE_EQ(pair_.interval().hours(), 0.5);
  EXPECT_EQ((Interval{nullptr, &pair_.newer}).hours(), 0);
}

TEST_F(SeriesTest, ImportingCtEveryUnit) {
  EXPECT_DOUBLE_EQ(*value("Main", Unit::kWatts), 1000);
  EXPECT_DOUBLE_EQ(*value("Main", Unit::kWh), 500);
  EXPECT_DOUBLE_EQ(*value("Main", Unit::kKWh), 0.5);
  EXPECT_DOUBLE_EQ(*value("Main", Unit::kVA), 1500);
  EXPECT_DOUBLE_EQ(*value("Main", Unit::kVAh), 750);
  EXPECT_DOUBLE_EQ(*value("Main", Unit::kVAR), 600);
  EXPECT_DOUBLE_EQ(*value("Main", Unit::kVARh), 300);
  EXPECT_DOUBLE_EQ(*value("Main", Unit::kVolts), 240);
  EXPECT_DOUBLE_EQ(*value("Main", Unit::kAmps), 6);
  EXPECT_DOUBLE_EQ(*value("Main", Unit::kPF), 1000.0 / 1500);
  EXPECT_DOUBLE_EQ(*value("Main", Unit::kHz), 50);  // from the reference VT, channel 0
}

TEST_F(SeriesTest, ExportingCtIsNegative) {
  EXPECT_DOUBLE_EQ(*value("Solar", Unit::kWatts), -500);
  EXPECT_DOUBLE_EQ(*value("Solar", Unit::kWh), -250);
  EXPECT_DOUBLE_EQ(*value("Solar", Unit::kKWh), -0.25);
  EXPECT_DOUBLE_EQ(*value("Solar", Unit::kVA), 600);
  EXPECT_DOUBLE_EQ(*value("Solar", Unit::kVAR), 160);
  EXPECT_DOUBLE_EQ(*value("Solar", Unit::kVolts), 242);
  EXPECT_DOUBLE_EQ(*value("Solar", Unit::kAmps), 2.5);
  EXPECT_DOUBLE_EQ(*value("Solar", Unit::kPF), -500.0 / 600);
}

TEST_F(SeriesTest, IdleCtHasZeroPowerFactor) {
  EXPECT_EQ(*value("Total", Unit::kWatts), 0);
  EXPECT_EQ(*value("Total", Unit::kVA), 0);
  EXPECT_EQ(*value("Total", Unit::kPF), 0);  // not 0/0
  EXPECT_EQ(*value("Total", Unit::kHz), 50);
}

TEST_F(SeriesTest, VoltageChannel) {
  EXPECT_DOUBLE_EQ(*value("Voltage", Unit::kVolts), 240);
  EXPECT_DOUBLE_EQ(*value("Voltage", Unit::kWatts), 240);  // as the original
  EXPECT_DOUBLE_EQ(*value("Voltage", Unit::kHz), 50);
  EXPECT_DOUBLE_EQ(*value("Voltage", Unit::kWh), 120);
  EXPECT_DOUBLE_EQ(*value("Voltage", Unit::kKWh), 0.12);
  for (Unit u : {Unit::kAmps, Unit::kVA, Unit::kVAh, Unit::kVAR, Unit::kVARh, Unit::kPF}) {
    EXPECT_EQ(*value("Voltage", u), 0) << unit_name(u);
  }
}

TEST_F(SeriesTest, NoMonitoredTimeIsMissingEvenForEnergy) {
  pair_.newer.monitored_us = pair_.older.monitored_us;  // a gap: time passed, nothing measured
  for (const char* name : {"Voltage", "Main", "Solar", "Total"}) {
    for (Unit u : {Unit::kWatts, Unit::kWh, Unit::kKWh, Unit::kVolts, Unit::kHz, Unit::kPF}) {
      EXPECT_FALSE(value(name, u)) << name << " " << unit_name(u);
    }
  }
  // The same record at both ends (a group wholly before the data).
  const Interval same{&pair_.older, &pair_.older};
  EXPECT_FALSE(catalog_.find("Main")->value(same, Unit::kWh));
}

TEST_F(SeriesTest, RecordWithoutTheChannelIsMissing) {
  pair_.newer.channels.resize(2);  // a log written with fewer channels
  EXPECT_TRUE(value("Main", Unit::kWatts));
  EXPECT_FALSE(value("Total", Unit::kWatts));
  EXPECT_FALSE(value("Solar", Unit::kWh));
}

// The reset rule: a counter lower in the newer record is not energy. Missing, never negative.
TEST_F(SeriesTest, ACounterThatDecreasesMakesTheIntervalMissing) {
  pair_.newer.channels[1].wh_import.set(0);  // Main restarted from zero
  for (Unit u : {Unit::kWatts, Unit::kWh, Unit::kKWh, Unit::kVA, Unit::kAmps, Unit::kPF}) {
    EXPECT_FALSE(value("Main", u)) << unit_name(u);
  }
  EXPECT_TRUE(value("Solar", Unit::kWh));  // other channels are not affected
  pair_ = MakePair();
  pair_.newer.channels[2].ah.set(pair_.older.channels[2].ah.micros() - 1);  // any counter, by one micro-unit
  EXPECT_FALSE(value("Solar", Unit::kWh));
  pair_ = MakePair();
  pair_.newer.channels[0].hzh.set(0);  // a CT's Hz reads its reference VT's counters
  EXPECT_FALSE(value("Main", Unit::kHz));
  EXPECT_TRUE(value("Main", Unit::kWh));
}

// A record read from a segment whose layout does not use the channel (the input was deleted
// then) holds zeros for it, which are not counters: no value, not the whole lifetime at once.
TEST_F(SeriesTest, ARecordThatDoesNotHoldTheChannelIsMissing) {
  using K = measure::ChannelKind;
  pair_.older.layout = {K::kVoltage, K::kCurrent, K::kUnused, K::kUnused, K::kCurrent};
  pair_.older.channels[2] = measure::ChannelCounters{};
  EXPECT_FALSE(value("Solar", Unit::kWh));
  EXPECT_TRUE(value("Main", Unit::kWh));
  pair_ = MakePair();
  pair_.newer.layout = {K::kVoltage, K::kCurrent, K::kUnused, K::kUnused, K::kCurrent};
  EXPECT_FALSE(value("Solar", Unit::kWh));
  EXPECT_EQ(*value("Main", Unit::kWh), 500);
}

TEST_F(SeriesTest, CtHzNeedsItsReferenceChannel) {
  config_.inputs[4]->vchan = 9;  // no such channel in the records
  catalog_ = SeriesCatalog::FromConfig(config_);
  EXPECT_FALSE(value("Total", Unit::kHz));
  EXPECT_TRUE(value("Total", Unit::kWatts));
}

TEST_F(SeriesTest, MonitoredTimeRunningBackwardsIsMissing) {
  pair_.newer.monitored_us = pair_.older.monitored_us + 1;  // 2.8e-10 h: finite averages
  EXPECT_TRUE(value("Main", Unit::kWatts));
  pair_.newer.monitored_us = pair_.older.monitored_us - 1;  // monitored time ran backwards
  EXPECT_FALSE(value("Main", Unit::kWatts));
}

TEST(SeriesCatalog, ActiveInputsInChannelOrder) {
  const auto catalog = SeriesCatalog::FromConfig(TestConfig());
  ASSERT_EQ(catalog.all().size(), 4u);
  EXPECT_EQ(catalog.all()[0]->name(), "Voltage");
  EXPECT_EQ(catalog.all()[1]->name(), "Main");
  EXPECT_EQ(catalog.all()[2]->name(), "Solar");
  EXPECT_EQ(catalog.all()[3]->name(), "Total");
  EXPECT_EQ(catalog.all()[0]->unit(), Unit::kVolts);
  EXPECT_EQ(catalog.all()[3]->unit(), Unit::kWatts);
  const auto inputs = catalog.inputs();
  ASSERT_EQ(inputs.size(), 4u);
  EXPECT_EQ(inputs[3]->channel(), 4);
  EXPECT_TRUE(inputs[0]->is_vt());
  EXPECT_FALSE(inputs[1]->is_vt());
}

TEST(SeriesCatalog, FindIsCaseSensitive) {
  const auto catalog = SeriesCatalog::FromConfig(TestConfig());
  EXPECT_EQ(catalog.find("Main"), catalog.all()[1].get());
  EXPECT_EQ(catalog.find("main"), nullptr);
  EXPECT_EQ(catalog.find("MAIN"), nullptr);
  EXPECT_EQ(catalog.find(""), nullptr);
  EXPECT_EQ(catalog.find("Mai"), nullptr);
}

TEST(SeriesCatalog, ShowSeriesJson) {
  const auto catalog = SeriesCatalog::FromConfig(TestConfig());
  EXPECT_EQ(catalog.show_series_json(),
            "{\"series\":[{\"name\":\"Voltage\",\"unit\":\"Volts\"},{\"name\":\"Main\",\"unit\":"
            "\"Watts\"},{\"name\":\"Solar\",\"unit\":\"Watts\"},{\"name\":\"Total\",\"unit\":"
            "\"Watts\"}]}");
  EXPECT_EQ(SeriesCatalog().show_series_json(), "{\"series\":[]}");
}

// Another kind of series (outputs, later) joins the catalog after the inputs.
class ConstantSeries final : public Series {
 public:
  const std::string& name() const override { return name_; }
  Unit unit() const override { return Unit::kAmps; }
  std::optional<double> value(const Interval&, Unit) const override { return 1.5; }

 private:
  std::string name_ = "Amps1";
};

TEST(SeriesCatalog, OtherSeriesKindsFollowTheInputs) {
  auto catalog = SeriesCatalog::FromConfig(TestConfig());
  catalog.add(std::make_unique<ConstantSeries>());
  EXPECT_NE(catalog.find("Amps1"), nullptr);
  EXPECT_EQ(catalog.inputs().size(), 4u);
  EXPECT_NE(catalog.show_series_json().find(",{\"name\":\"Amps1\",\"unit\":\"Amps\"}]}"), std::string::npos);
}

}  // namespace
}  // namespace iw::query
