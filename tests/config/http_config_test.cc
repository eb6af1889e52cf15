#include "config/http_config.h"

#include <gtest/gtest.h>

#include "config/config_parser.h"
#include "config/config_writer.h"

namespace iw::config {
namespace {

Result<Config> Parse(const std::string& http, std::vector<std::string>* notes = nullptr) {
  return parse_config(R"({"device":{"channels":1},"inputs":[null])" + http + "}", ModelCatalog::builtin(), notes);
}

TEST(HttpConfig, AbsentMeansNoExtraHosts) {
  auto c = Parse("");
  ASSERT_TRUE(c.ok()) << c.error();
  auto http = http_config(c.value());
  ASSERT_TRUE(http.ok()) << http.error();
  EXPECT_TRUE(http->hosts.empty());
}

TEST(HttpConfig, HostsAreReadKeptAndRoundTrip) {
  std::vector<std::string> notes;
  auto c = Parse(R"(,"http":{"hosts":["IoTaWatt.example.lan.","192.0.2.7","[fd00::7]","iota_1"]})", &notes);
  ASSERT_TRUE(c.ok()) << c.error();
  for (const auto& n : notes) EXPECT_EQ(n.find("http"), std::string::npos) << "http is a known section: " << n;
  auto http = http_config(c.value());
  ASSERT_TRUE(http.ok()) << http.error();
  EXPECT_EQ(http->hosts, (std::vector<std::string>{"IoTaWatt.example.lan.", "192.0.2.7", "[fd00::7]", "iota_1"}));
  auto again = parse_config(serialize(c.value()), ModelCatalog::builtin());
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(http_config(again.value())->hosts, http->hosts);
}

TEST(HttpConfig, WhatIsNoHostNameIsNamedByKey) {
  auto c = Parse(R"(,"http":{"hosts":["http://iota.lan","iota.lan:8080","",5,"a b","[::1"],"port":80})");
  ASSERT_TRUE(c.ok()) << c.error();
  auto http = http_config(c.value());
  ASSERT_FALSE(http.ok());
  for (int i : {0, 1, 2, 3, 4, 5}) {
    EXPECT_NE(http.error().find("http.hosts[" + std::to_string(i) + "]: "), std::string::npos) << http.error();
  }
  EXPECT_NE(http.error().find("is not a host name"), std::string::npos) << http.error();
  EXPECT_NE(http.error().find("http.port: unknown key"), std::string::npos) << http.error();
}

TEST(HttpConfig, SectionAndHostsMustHaveTheirTypes) {
  EXPECT_FALSE(Parse(R"(,"http":["iota.lan"])").ok()) << "the parser checks the section is an object";
  auto c = Parse(R"(,"http":{"hosts":"iota.lan"})");
  ASSERT_TRUE(c.ok()) << c.error();
  auto http = http_config(c.value());
  ASSERT_FALSE(http.ok());
  EXPECT_NE(http.error().find("http.hosts: \"iota.lan\" is not an array"), std::string::npos) << http.error();
}

}  // namespace
}  // namespace iw::config
