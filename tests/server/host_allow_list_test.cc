#include "server/host_allow_list.h"

#include <gtest/gtest.h>

namespace iw::server {
namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;

// A machine whose names the test sets, read through a clock the test moves.
struct FakeMachine {
  std::vector<std::string> names = {"localhost", "192.168.1.20"};
  int reads = 0;
  steady_clock::time_point now{};

  HostAllowList list(const std::vector<std::string>& fixed = {}) {
    return HostAllowList(
        fixed,
        [this] {
          ++reads;
          return names;
        },
        [this] { return now; });
  }
};

TEST(HostAllowList, AllowsTheMachinesNamesAndFixedOnes) {
  FakeMachine m;
  const HostAllowList list = m.list({"IoTaWatt.Example.LAN.", "not a name"});
  EXPECT_TRUE(list.allows("localhost"));
  EXPECT_TRUE(list.allows("192.168.1.20"));
  EXPECT_TRUE(list.allows("iotawatt.example.lan"));
  EXPECT_FALSE(list.allows("attacker.example"));
  EXPECT_FALSE(list.allows("not a name"));
}

TEST(HostAllowList, ConfiguredNamesAreReplacedWhole) {
  FakeMachine m;
  HostAllowList list = m.list();
  list.set_configured({"a.lan", "[0::1]"});
  EXPECT_TRUE(list.allows("a.lan"));
  EXPECT_TRUE(list.allows("[::1]"));
  list.set_configured({"b.lan"});
  EXPECT_FALSE(list.allows("a.lan"));
  EXPECT_TRUE(list.allows("b.lan"));
}

TEST(HostAllowList, ReadsTheMachinesNamesAgainAfterTheRefreshPeriod) {
  FakeMachine m;
  const HostAllowList list = m.list();
  EXPECT_FALSE(list.allows("10.0.0.7"));
  EXPECT_EQ(m.reads, 1);
  m.names.push_back("10.0.0.7");  // a new DHCP lease
  m.now += HostAllowList::kRefresh - seconds(1);
  EXPECT_FALSE(list.allows("10.0.0.7"));  // cached
  EXPECT_EQ(m.reads, 1);
  m.now += seconds(1);
  EXPECT_TRUE(list.allows("10.0.0.7"));
  EXPECT_EQ(m.reads, 2);
  for (int i = 0; i < 1000; ++i) list.allows("attacker.example");
  EXPECT_EQ(m.reads, 2) << "unknown names must not cost a read each";
}

TEST(HostAllowList, TheRealMachineAllowsLoopback) {
  const HostAllowList list;
  EXPECT_TRUE(list.allows("127.0.0.1"));
  EXPECT_TRUE(list.allows("[::1]"));
  EXPECT_TRUE(list.allows("localhost"));
}

}  // namespace
}  // namespace iw::server
