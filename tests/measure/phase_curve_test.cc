#include "measure/phase_curve.h"

#include <gtest/gtest.h>

namespace iw::measure {
namespace {

// The SCT013-000 60 Hz array from the firmware reference §1.5.
const std::vector<double> kSct60 = {2.7, 4, 2.6, 8, 2.5, 12, 2.4, 18, 2.3, 30, 2.2, 44, 2.1};

TEST(PhaseCurve, StepsAtEachThreshold) {
  const PhaseCurve t{2.3, {}, kSct60};
  EXPECT_DOUBLE_EQ(t.lead_deg(0, 60), 2.7);
  EXPECT_DOUBLE_EQ(t.lead_deg(3.99, 60), 2.7);
  EXPECT_DOUBLE_EQ(t.lead_deg(4, 60), 2.6);  // "from t1 up to t2"
  EXPECT_DOUBLE_EQ(t.lead_deg(7.9, 60), 2.6);
  EXPECT_DOUBLE_EQ(t.lead_deg(12, 60), 2.4);
  EXPECT_DOUBLE_EQ(t.lead_deg(43.9, 60), 2.2);
  EXPECT_DOUBLE_EQ(t.lead_deg(44, 60), 2.1);
  EXPECT_DOUBLE_EQ(t.lead_deg(1000, 60), 2.1);
}

TEST(PhaseCurve, ChoosesArrayByFrequencyAndFallsBackToFixed) {
  const PhaseCurve t{0.5, {1.46}, {0.82}};
  EXPECT_DOUBLE_EQ(t.lead_deg(230, 50), 1.46);
  EXPECT_DOUBLE_EQ(t.lead_deg(230, 54.99), 1.46);
  EXPECT_DOUBLE_EQ(t.lead_deg(120, 55), 0.82);
  EXPECT_DOUBLE_EQ(t.lead_deg(120, 60), 0.82);

  const PhaseCurve only60{0.4, {}, {0.6}};
  EXPECT_DOUBLE_EQ(only60.lead_deg(120, 60), 0.6);
  EXPECT_DOUBLE_EQ(only60.lead_deg(230, 50), 0.4);  // band array missing: static phase
  EXPECT_DOUBLE_EQ(PhaseCurve{}.lead_deg(10, 50), 0.0);
}

TEST(PhaseCurve, ValidatesArrays) {
  EXPECT_TRUE(PhaseCurve::check_table({}).ok());
  EXPECT_TRUE(PhaseCurve::check_table({0.6}).ok());
  EXPECT_TRUE(PhaseCurve::check_table(kSct60).ok());
  Status st = PhaseCurve::check_table({2.7, 4});
  EXPECT_TRUE(st.is_invalid_argument());
  EXPECT_NE(st.message().find("odd number"), std::string::npos) << st.to_string();
  st = PhaseCurve::check_table({2.7, 8, 2.6, 4, 2.5});
  EXPECT_EQ(st.message(), "thresholds must increase: 4 (element 3) follows 8");
  EXPECT_FALSE(PhaseCurve::check_table({2.7, 4, 2.6, 4, 2.5}).ok());
  st = PhaseCurve::check_table({2.7, -1, 2.6});
  EXPECT_NE(st.message().find("negative"), std::string::npos) << st.to_string();
}

}  // namespace
}  // namespace iw::measure
