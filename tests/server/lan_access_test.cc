#include "server/auth/lan_access.h"

#include <gtest/gtest.h>

namespace iw::server {
namespace {

std::vector<Subnet> Nets(std::initializer_list<const char*> cidrs) {
  std::vector<Subnet> out;
  for (const char* c : cidrs) {
    Subnet s;
    EXPECT_TRUE(parse_subnet(c, &s)) << c;
    out.push_back(s);
  }
  return out;
}

TEST(LanAccess, Ipv4SameSubnet) {
  const auto nets = Nets({"192.168.1.20/24"});
  EXPECT_TRUE(in_same_subnet("192.168.1.5", nets));
  EXPECT_TRUE(in_same_subnet("192.168.1.255", nets));
  EXPECT_FALSE(in_same_subnet("192.168.2.5", nets));
  EXPECT_FALSE(in_same_subnet("8.8.8.8", nets));
}

TEST(LanAccess, Ipv4MappedIpv6CountsAsIpv4) {
  const auto nets = Nets({"10.0.0.1/8"});
  EXPECT_TRUE(in_same_subnet("::ffff:10.20.30.40", nets));
  EXPECT_FALSE(in_same_subnet("::ffff:11.0.0.1", nets));
}

TEST(LanAccess, Ipv6WithZoneAndBrackets) {
  const auto nets = Nets({"fd00:1:2:3::1/64", "fe80::1/64"});
  EXPECT_TRUE(in_same_subnet("fd00:1:2:3:abcd::9", nets));
  EXPECT_TRUE(in_same_subnet("[fd00:1:2:3::9]", nets));
  EXPECT_TRUE(in_same_subnet("fe80::1234%eth0", nets));
  EXPECT_FALSE(in_same_subnet("fd00:1:2:4::9", nets));
  EXPECT_FALSE(in_same_subnet("2001:db8::1", nets));
}

TEST(LanAccess, FamiliesDoNotMix) {
  EXPECT_FALSE(in_same_subnet("::1", Nets({"0.0.0.0/1"})));
  EXPECT_FALSE(in_same_subnet("1.2.3.4", Nets({"::/1"})));
}

TEST(LanAccess, ZeroNetmaskIsNeverLocal) { EXPECT_FALSE(in_same_subnet("1.2.3.4", Nets({"0.0.0.0/0"}))); }

TEST(LanAccess, MalformedInputs) {
  Subnet s;
  EXPECT_FALSE(parse_subnet("192.168.1.0", &s));
  EXPECT_FALSE(parse_subnet("192.168.1.0/33", &s));
  EXPECT_FALSE(parse_subnet("fd00::/129", &s));
  EXPECT_FALSE(parse_subnet("x/8", &s));
  EXPECT_FALSE(parse_subnet("10.0.0.0/", &s));
  const auto nets = Nets({"192.168.1.0/24"});
  EXPECT_FALSE(in_same_subnet("", nets));
  EXPECT_FALSE(in_same_subnet("192.168.1", nets));
  EXPECT_FALSE(in_same_subnet("not-an-ip", nets));
}

TEST(LanAccess, HostSubnetsIncludeLoopback) {
  const auto nets = host_subnets();
  EXPECT_TRUE(in_same_subnet("127.0.0.1", nets));
  EXPECT_FALSE(in_same_subnet("203.0.113.250", nets));  // TEST-NET-3, never configured here
}

TEST(LanAccess, ClientIdentityIsTheAddressOrItsSlash64) {
  EXPECT_EQ(client_identity("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(client_identity("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(client_identity("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(client_identity("[fe80::1%eth0]"), "fe80::/64");
  EXPECT_EQ(client_identity("not an address"), "not an address");
}

}  // namespace
}  // namespace iw::server
