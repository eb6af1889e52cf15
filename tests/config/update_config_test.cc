// The "update_server" config section: defaults, every key, and errors that name the key.
#include "config/update_config.h"

#include <gtest/gtest.h>

#include "config/config_parser.h"

namespace iw::config {
namespace {

using nlohmann::json;

const std::string kKey(64, 'a');

Result<std::optional<UpdateServerConfig>> parse(const json& section) {
  json doc = json::parse(R"({"device": {"name": "Shed", "channels": 1}, "update": "MINOR",
    "inputs": [{"channel": 0, "name": "Voltage", "type": "VT", "model": "generic", "cal": 19}]})");
  if (!section.is_null()) doc["update_server"] = section;
  auto cfg = parse_config(doc, ModelCatalog::builtin());
  if (!cfg) return cfg.status();
  return update_server_config(cfg.value());
}

std::string error_of(const json& section) {
  auto r = parse(section);
  return r ? std::string("(no error)") : r.error();
}

TEST(UpdateServerConfig, AbsentMeansNoServerAndDefaultsAreSensible) {
  auto absent = parse(json());
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent.value().has_value());
  auto r = parse({{"url", "https://updates.example.org/iotawatt"}});
  ASSERT_TRUE(r.ok()) << r.error();
  const UpdateServerConfig& u = *r.value();
  EXPECT_EQ(u.url, "https://updates.example.org/iotawatt");
  EXPECT_EQ(u.interval_s, 3600);
  EXPECT_EQ(u.max_download_mb, 256);
  EXPECT_EQ(u.health_deadline_s, 600);
  EXPECT_TRUE(u.keys.empty());
}

TEST(UpdateServerConfig, EveryKeyIsRead) {
  auto r = parse({{"url", "https://10.0.0.2:8443/u/"},
                  {"keys", {kKey}},
                  {"interval", 600},
                  {"max_download_mb", 64},
                  {"health_deadline", 120}});
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.value()->keys, std::vector<std::string>{kKey});
  EXPECT_EQ(r.value()->interval_s, 600);
  EXPECT_EQ(r.value()->max_download_mb, 64);
  EXPECT_EQ(r.value()->health_deadline_s, 120);
}

TEST(UpdateServerConfig, ErrorsNameTheKey) {
  const json url = "https://u.example.org";
  EXPECT_NE(error_of(json::object()).find("update_server.url: required"), std::string::npos);
  EXPECT_NE(error_of({{"url", "http://u.example.org"}}).find("update_server.url: must be an https://"),
            std::string::npos);
  EXPECT_NE(error_of({{"url", "https://a b"}}).find("update_server.url"), std::string::npos);
  EXPECT_NE(error_of({{"url", url}, {"keys", {"ABC"}}}).find("update_server.keys[0]: is not a public key"),
            std::string::npos)
      << error_of({{"url", url}, {"keys", {"ABC"}}});
  EXPECT_NE(error_of({{"url", url}, {"keys", "x"}}).find("update_server.keys: must be an array"), std::string::npos);
  EXPECT_NE(error_of({{"url", url}, {"interval", 60}}).find("update_server.interval"), std::string::npos);
  EXPECT_NE(error_of({{"url", url}, {"ca_file", "/nonexistent/ca.pem"}}).find("update_server.ca_file: cannot read"),
            std::string::npos);
  EXPECT_NE(error_of({{"url", url}, {"intervall", 600}}).find("update_server.intervall: unknown key"),
            std::string::npos)
      << error_of({{"url", url}, {"intervall", 600}});
  EXPECT_NE(error_of("https://u.example.org").find("update_server"), std::string::npos)
      << error_of("https://u.example.org");
}

}  // namespace
}  // namespace iw::config
