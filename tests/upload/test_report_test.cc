#include "upload/test_report.h"

#include <gtest/gtest.h>

namespace iw::upload {
namespace {

TEST(TestReport, RefusedTimedOutAndNotHttpReadTheSame) {
  const std::string m = transport_failure_report("192.0.2.5:8086", TransportFailure::kNoHttpAnswer);
  EXPECT_EQ(m,
            "192.0.2.5:8086: no HTTP answer (nothing listening, a firewall, or not an HTTP server): "
            "check the URL and port");
  EXPECT_NE(transport_failure_report("h:1", TransportFailure::kTls).find("TLS"), std::string::npos);
  EXPECT_NE(transport_failure_report("h:1", TransportFailure::kHostUnknown).find("does not resolve"),
            std::string::npos);
}

TEST(TestReport, HttpAnswersGiveTheCodeAndOurHint) {
  EXPECT_EQ(http_answer_report("192.0.2.5:8086", 401, "influxdb"),
            "HTTP 401 from 192.0.2.5:8086: check the user name and password, token or API key");
  EXPECT_EQ(http_answer_report("h:80", 200, "emoncms"),
            "HTTP 200 from h:80: the answer is not what emoncms sends: check the URL");
  EXPECT_NE(http_answer_report("h:80", 404, "influxdb").find("HTTP 404 from h:80: check the URL"), std::string::npos);
  EXPECT_NE(http_answer_report("h:80", 503, "influxdb").find("the server failed"), std::string::npos);
}

}  // namespace
}  // namespace iw::upload
