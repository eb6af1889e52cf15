// The common uploader fields and the InfluxDB ones, from the original's JSON as its web app
// writes it; errors name the key path.
#include <gtest/gtest.h>

#include "config/uploader_config.h"

namespace iw::config {
namespace {

using nlohmann::json;

// As the original's index.htm writes an influxDB section (numbers as strings included).
const char* kOriginalInflux = R"({
  "type": "influxdb", "revision": 7, "stop": false, "url": "http://192.168.1.20:8086",
  "database": "iotawatt", "retp": "", "user": "iota", "pwd": "s3cret", "postInterval": "10",
  "bulksend": 1, "begdate": 1700000000, "measurement": "$name", "fieldkey": "value", "heap": true,
  "tagset": [{"key": "device", "value": "$device"}],
  "outputs": [{"name": "Mains", "units": "Watts", "script": "@1"}, {"name": "Solar", "units": "kWh", "script": "@2"}]
})";

TEST(UploaderConfig, TheOriginalsInfluxSectionAsIs) {
  auto c = parse_uploader("influxdb", json::parse(kOriginalInflux));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->type, "influxdb");
  EXPECT_EQ(c->revision, 7);
  EXPECT_EQ(c->post_interval, 10);
  EXPECT_EQ(c->begdate, 1700000000);
  ASSERT_EQ(c->outputs.size(), 2u);
  EXPECT_EQ(c->outputs[1], (ScriptOutput{"Solar", "kWh", "@2"}));
  auto i = influx1_config(c.value());
  ASSERT_TRUE(i.ok()) << i.error();
  EXPECT_EQ(i->database, "iotawatt");
  EXPECT_EQ(i->user, "iota");
  EXPECT_EQ(i->password, "s3cret");
  EXPECT_EQ(i->point.tagset, (std::vector<InfluxTag>{{"device", "$device"}}));
  EXPECT_EQ(i->point.measurement, "$name");
}

TEST(UploaderConfig, Influx2SectionAndOurCafile) {
  auto c = parse_uploader("influxdb2", json::parse(R"({"type":"influxdb2","url":"https://eu.cloud/api/v2",
      "bucket":"home","orgid":"0123456789abcdef","authtoken":"tok","token":"","cafile":"/etc/ssl/private-ca.pem",
      "postInterval":60,"outputs":[{"name":"Mains","units":"Watts","script":"@1"}]})"));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->cafile, "/etc/ssl/private-ca.pem");
  auto i = influx2_config(c.value());
  ASSERT_TRUE(i.ok()) << i.error();
  EXPECT_EQ(i->token, "tok");
  EXPECT_EQ(i->point.fieldkey, "value");
}

TEST(UploaderConfig, ErrorsNameTheKeyPath) {
  auto c = parse_uploader("influxdb", json::parse(R"({"postInterval":7,"outputs":[{"name":"","script":"@1"},3]})"));
  ASSERT_FALSE(c.ok());
  for (const char* line : {"influxdb.url: missing", "influxdb.postInterval: 7 is not a multiple of 5",
                           "influxdb.outputs[0].name: missing", "influxdb.outputs[1]: 3 is not an object"}) {
    EXPECT_NE(c.error().find(line), std::string::npos) << c.error();
  }
  EXPECT_NE(parse_uploader("influxdb", json::parse(R"({"url":"h"})")).error().find("influxdb.outputs: missing"),
            std::string::npos);
  auto no_db = parse_uploader("influxdb", json::parse(R"({"url":"h","outputs":[]})"));
  ASSERT_TRUE(no_db.ok());
  auto i = influx1_config(no_db.value());
  ASSERT_FALSE(i.ok());
  EXPECT_NE(i.error().find("influxdb.database: missing"), std::string::npos) << i.error();
  auto tags = parse_uploader("influxdb2", json::parse(R"({"url":"h","outputs":[],"bucket":"b","orgid":"o",
      "authtoken":"t","tagset":[{"value":"x"}]})"));
  ASSERT_TRUE(tags.ok());
  EXPECT_NE(influx2_config(tags.value()).error().find("influxdb2.tagset[0].key: missing"), std::string::npos);
}

}  // namespace
}  // namespace iw::config
