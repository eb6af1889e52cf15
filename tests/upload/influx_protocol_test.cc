// InfluxDB 1.x and 2.x on bytes: escaping, templates, field merging, the requests, and the
// last-point answers including garbage.
#include <gtest/gtest.h>

#include "base/base64.h"
#include "upload/influx1.h"
#include "upload/influx2.h"
#include "upload/line_protocol.h"

namespace iw::upload {
namespace {

TEST(LineProtocol, EscapesEachPartAsInfluxDBDocumentsIt) {
  struct Case {
    std::string in, measurement, key, field;
  };
  const Case cases[] = {
      {"plain", "plain", "plain", "\"plain\""},
      {"a b", "a\\ b", "a\\ b", "\"a b\""},
      {"a,b", "a\\,b", "a\\,b", "\"a,b\""},
      {"a=b", "a=b", "a\\=b", "\"a=b\""},
      {"say \"hi\"", "say\\ \"hi\"", "say\\ \"hi\"", "\"say \\\"hi\\\"\""},
      {"back\\slash", "back\\slash", "back\\slash", "\"back\\\\slash\""},
      {"two\nlines", "two\\ lines", "two\\ lines", "\"two lines\""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(escape_measurement(c.in), c.measurement) << c.in;
    EXPECT_EQ(escape_key(c.in), c.key) << c.in;
    EXPECT_EQ(quote_string_field(c.in), c.field) << c.in;
  }
}

TEST(LineProtocol, TemplatesExpandLeftToRightOnce) {
  EXPECT_EQ(expand_template("$name", "IotaHome", "solar", "kWh"), "solar");
  EXPECT_EQ(expand_template("$device.$name-$units", "IotaHome", "solar", "kWh"), "IotaHome.solar-kWh");
  EXPECT_EQ(expand_template("$units", "d", "$name", "x"), "x");
  EXPECT_EQ(expand_template("$name", "d", "$units", "x"), "$units");  // a value is not expanded again
  EXPECT_EQ(expand_template("cost$", "d", "n", "u"), "cost$");
}

std::vector<IntervalValues> two_intervals() {
  return {{1523810190, 1523810200, {2944.6, 100.25}}, {1523810200, 1523810210, {std::nullopt, 99.5}}};
}

TEST(LineProtocol, TheDocumentedExamples) {
  const std::vector<MeasurementInfo> m = {{"solar", "kWh", 1}, {"grid", "kWh", 2}};
  config::InfluxPointTemplate defaults;
  EXPECT_EQ(InfluxLines(defaults, "IotaHome", m).lines(two_intervals()),
            "grid value=100.25 1523810190\n"
            "solar value=2944.6 1523810190\n"
            "grid value=99.5 1523810200\n");
  // measurement $units, field $name, a static tag: the fields share one line.
  config::InfluxPointTemplate by_units{"$units", "$name", {{"tag1", "$device"}}};
  EXPECT_EQ(InfluxLines(by_units, "IotaHome", m).lines(two_intervals()),
            "kWh,tag1=IotaHome solar=2944.6,grid=100.25 1523810190\n"
            "kWh,tag1=IotaHome grid=99.5 1523810200\n");
  // A tag that depends on $name: one line per measurement.
  config::InfluxPointTemplate by_device{"$device", "$units", {{"tag1", "$name"}, {"empty", ""}}};
  EXPECT_EQ(InfluxLines(by_device, "IotaHome", m).lines(two_intervals()),
            "IotaHome,tag1=solar kWh=2944.6 1523810190\n"
            "IotaHome,tag1=grid kWh=100.25 1523810190\n"
            "IotaHome,tag1=grid kWh=99.5 1523810200\n");
}

Influx1Protocol influx1(const std::string& user = "", const std::string& pwd = "") {
  config::Influx1Config c;
  c.database = "my db";
  c.retention_policy = "one year";
  c.user = user;
  c.password = pwd;
  c.point.tagset = {{"ct", "$name"}, {"it's", "$device"}};
  return Influx1Protocol(parse_base_url("influx.local:8086/").value(), c, "Iota",
                         {{"Main", "Watts", 2}, {"Solar", "Watts", 2}});
}

TEST(Influx1, WriteRequestIsPercentEncodedWithStandardBase64Auth) {
  // Standard base64 with '+' and '/' (the original
  // used '-' and '_', which InfluxDB refuses).
  const HttpRequest r = influx1("user", "pass>?").post_request(two_intervals());
  EXPECT_EQ(r.url, "http://influx.local:8086/write?precision=s&db=my%20db&rp=one%20year");
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"Content-Type", "text/plain; charset=utf-8"}));
  EXPECT_EQ(r.headers[1].second, "Basic dXNlcjpwYXNzPj8=");
  EXPECT_EQ(base64_encode("\xfb\xff"), "+/8=");
  EXPECT_EQ(base64_encode("ab"), "YWI=");
  EXPECT_EQ(base64_encode("abc"), "YWJj");
  EXPECT_EQ(r.body,
            "Main,ct=Main,it's=Iota value=2944.6 1523810190\n"
            "Solar,ct=Solar,it's=Iota value=100.25 1523810190\n"
            "Solar,ct=Solar,it's=Iota value=99.5 1523810200\n");
  EXPECT_TRUE(influx1().post_request(two_intervals()).headers.size() == 1);  // no auth without both
}

TEST(Influx1, LastPointIsOneSelectLastPerSeriesInOneRequest) {
  const auto r = influx1().last_point_request();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->url, "http://influx.local:8086/query");
  EXPECT_EQ(influx1().last_point_query(),
            "SELECT LAST(\"value\") FROM \"Main\" WHERE \"ct\"='Main' AND \"it's\"='Iota'; "
            "SELECT LAST(\"value\") FROM \"Solar\" WHERE \"ct\"='Solar' AND \"it's\"='Iota'");
  EXPECT_EQ(r->body.substr(0, 37), "db=my%20db&epoch=s&rp=one%20year&q=SE");
}

TEST(Influx1, LastPointAnswersIncludingGarbage) {
  const auto p = influx1();
  auto parse = [&](int status, const std::string& body) { return p.parse_last_point({status, {}, body}); };
  auto two = parse(
      200,
      R"({"results":[{"statement_id":0,"series":[{"name":"Main","columns":["time","last"],"values":[[1700000000,1.5]]}]},)"
      R"({"statement_id":1,"series":[{"name":"Solar","columns":["last","time"],"values":[[2,1700000100]]}]}]})");
  ASSERT_TRUE(two.ok()) << two.error();
  EXPECT_EQ(two.value(), 1700000100);
  auto none = parse(200, R"({"results":[{"statement_id":0},{"statement_id":1}]})");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none.value());
  for (const auto& [status, body, says] : std::vector<std::tuple<int, std::string, std::string>>{
           {401, "", "authentication failed"},
           {500, "oops", "HTTP 500: oops"},
           {200, "<html>", "not InfluxDB's"},
           {200, "{\"results\":[{\"error\":\"database not found: x\"}]}", "database not found"},
           {200, "{\"results\":[{\"series\":[{\"columns\":[\"last\"],\"values\":[[1]]}]}]}", "no \"time\" column"},
           {200, "{\"results\":[{\"series\":[{\"columns\":[\"time\"],\"values\":[[\"2023-11-14T22:13:20Z\"]]}]}]}",
            "not an integer"},
           {200, "{\"results\":7}", "not InfluxDB's"}}) {
    auto r = parse(status, body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_NE(r.error().find(says), std::string::npos) << r.error();
  }
}

TEST(Influx, WriteAnswers) {
  auto outcome = [](int status) { return influx_write_verdict({status, {}, "{\"error\":\"x\"}"}).outcome; };
  EXPECT_EQ(outcome(204), PostOutcome::kAccepted);
  EXPECT_EQ(outcome(400), PostOutcome::kRejected);
  EXPECT_EQ(outcome(401), PostOutcome::kRejected);
  EXPECT_EQ(outcome(404), PostOutcome::kRejected);
  EXPECT_EQ(outcome(413), PostOutcome::kRetry);
  EXPECT_EQ(outcome(429), PostOutcome::kRetry);
  EXPECT_EQ(outcome(503), PostOutcome::kRetry);
}

Influx2Protocol influx2() {
  config::Influx2Config c;
  c.bucket = "home";
  c.orgid = "0123456789abcdef";
  c.token = "tok==";
  return Influx2Protocol(parse_base_url("https://cloud.example:443/api/v2/").value(), c, "Iota",
                         {{"Main", "Watts", 2}});
}

TEST(Influx2, RequestsCarryOrgBucketAndToken) {
  const HttpRequest w = influx2().post_request(two_intervals());
  EXPECT_EQ(w.url, "https://cloud.example:443/api/v2/write?precision=s&orgID=0123456789abcdef&bucket=home");
  EXPECT_EQ(w.headers[0].second, "Token tok==");
  EXPECT_EQ(w.body, "Main value=2944.6 1523810190\n");
  const auto q = influx2().last_point_request();
  ASSERT_TRUE(q);
  EXPECT_EQ(q->url, "https://cloud.example:443/api/v2/query?orgID=0123456789abcdef");
  EXPECT_NE(q->body.find("from(bucket: \"home\")"), std::string::npos);
  EXPECT_NE(q->body.find("(r._measurement == \"Main\" and r._field == \"value\")"), std::string::npos) << q->body;
}

TEST(Influx2, FluxCsvAnswers) {
  auto t = newest_time_in_flux_csv(
      ",result,table,_measurement,_time\r\n,_result,0,Main,1700000000\r\n,_result,0,Solar,1700000100\r\n\r\n");
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(t.value(), 1700000100);
  auto annotated = newest_time_in_flux_csv(
      "#datatype,string,long,string,unsignedLong\n#group,false,false,true,false\n"
      ",result,table,_measurement,_time\n,,0,Main,1700000020\n\n"
      ",result,table,_time,_measurement\n,,1,1700000030,Solar\n");
  ASSERT_TRUE(annotated.ok()) << annotated.error();
  EXPECT_EQ(annotated.value(), 1700000030);
  auto empty = newest_time_in_flux_csv("\r\n");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty.value());
  EXPECT_FALSE(newest_time_in_flux_csv("<html>bad gateway</html>\n,x\n").ok());
  EXPECT_FALSE(newest_time_in_flux_csv(",result,_time\n,,2023-11-14T22:13:20Z\n").ok());
  EXPECT_FALSE(newest_time_in_flux_csv(",result,table,_time\n,,0\n").ok());
  auto unauthorized = influx2().parse_last_point({401, {}, "{\"code\":\"unauthorized\"}"});
  ASSERT_FALSE(unauthorized.ok());
  EXPECT_NE(unauthorized.error().find("authentication failed"), std::string::npos);
}

TEST(BaseUrl, TheOriginalsLeniencyWithoutCredentials) {
  auto u = parse_base_url("influx.local", 8086);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->str(), "http://influx.local:8086");
  EXPECT_EQ(parse_base_url("HTTPS://h/prefix/?q=1").value().str(), "https://h:443/prefix");
  EXPECT_EQ(parse_base_url("http://[::1]:9000").value().str(), "http://[::1]:9000");
  EXPECT_FALSE(parse_base_url("ftp://h").ok());
  EXPECT_FALSE(parse_base_url("http://user:pw@h").ok());
  EXPECT_FALSE(parse_base_url("http://h:99999").ok());
  EXPECT_EQ(url_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
}

}  // namespace
}  // namespace iw::upload
