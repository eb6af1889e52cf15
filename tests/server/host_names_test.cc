#include "server/host_names.h"

#include <unistd.h>

#include <algorithm>

#include <gtest/gtest.h>

namespace iw::server {
namespace {

TEST(HostNames, NormalizeLowersCaseAndDropsTheTrailingDot) {
  EXPECT_EQ(normalize_host("IoTaWatt.LAN."), "iotawatt.lan");
  EXPECT_EQ(normalize_host("localhost"), "localhost");
  EXPECT_EQ(normalize_host("192.168.1.20"), "192.168.1.20");
  EXPECT_EQ(normalize_host("my_host-1"), "my_host-1");
}

TEST(HostNames, NormalizeWritesIpv6AsInetNtopDoes) {
  EXPECT_EQ(normalize_host("[::1]"), "[::1]");
  EXPECT_EQ(normalize_host("[0:0:0:0:0:0:0:1]"), "[::1]");
  EXPECT_EQ(normalize_host("[FE80::0A]"), "[fe80::a]");
}

TEST(HostNames, NormalizeRefusesWhatIsNoHost) {
  for (const char* bad :
       {"", ".", "a b", "evil/x", "x:80", "::1", "[::1", "[nothex]", "[fe80::1%eth0]", "caf\xc3\xa9.lan", "a@b"}) {
    EXPECT_FALSE(normalize_host(bad)) << bad;
  }
  EXPECT_FALSE(normalize_host(std::string(254, 'a')));
  EXPECT_TRUE(normalize_host(std::string(253, 'a')));
}

TEST(HostNames, AuthorityWithAndWithoutPort) {
  struct Case {
    const char* text;
    const char* host;
    std::optional<int> port;
  };
  const Case cases[] = {{"IoTaWatt.local.:8080", "iotawatt.local", 8080},
                        {"iotawatt", "iotawatt", std::nullopt},
                        {"[::1]:80", "[::1]", 80},
                        {"[0::1]", "[::1]", std::nullopt},
                        {"192.168.1.20:0", "192.168.1.20", 0}};
  for (const Case& c : cases) {
    const auto a = parse_authority(c.text);
    ASSERT_TRUE(a) << c.text;
    EXPECT_EQ(a->host, c.host) << c.text;
    EXPECT_EQ(a->port, c.port) << c.text;
  }
}

TEST(HostNames, AuthorityRefusesBadPortsAndBareIpv6) {
  for (const char* bad : {"host:", "host:x", "host:65536", "host:123456", "host:-1", "host:80:80", "::1", "[::1]80",
                          "[::1]:", "[::1]:http", ":80", ""}) {
    EXPECT_FALSE(parse_authority(bad)) << bad;
  }
  EXPECT_EQ(parse_authority("host:65535")->port, 65535);
}

TEST(HostNames, LocalNamesHaveLoopbackAndThisHostsName) {
  const auto names = local_host_names();
  const auto has = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  EXPECT_TRUE(has("localhost"));
  EXPECT_TRUE(has("127.0.0.1"));
  EXPECT_TRUE(has("[::1]"));
  char buffer[256] = {};
  ASSERT_EQ(gethostname(buffer, sizeof buffer - 1), 0);
  const std::string host = *normalize_host(buffer);
  EXPECT_TRUE(has(host)) << host;
  EXPECT_TRUE(has(host.substr(0, host.find('.')) + ".local"));
  for (const std::string& n : names) EXPECT_EQ(normalize_host(n), n) << "not in normal form: " << n;
}

}  // namespace
}  // namespace iw::server
