// MqttConnection against a real mosquitto broker on 127.0.0.1: sessions, the last will,
// reconnecting after the broker restarts, username/password and TLS verification.
#include <gtest/gtest.h>

#include "upload/mqtt_broker.h"
#include "upload/mqtt_connection.h"

namespace iw::upload {
namespace {

using namespace std::chrono_literals;
using testing::MosquittoBroker;
using testing::MqttRecorder;

config::MqttConfig client_config(int port) {
  config::MqttConfig c;
  c.host = "127.0.0.1";
  c.port = port;
  c.client_id = "iotawatt-connection-test";
  c.reconnect_max_s = 2;
  c.keepalive_s = 5;
  return c;
}

const MqttMessage kWill{"test/status", "offline", true};

std::unique_ptr<MqttConnection> connection(const config::MqttConfig& c) {
  auto conn = MqttConnection::Create(c, kWill);
  EXPECT_TRUE(conn) << (conn ? "" : conn.error());
  return conn ? std::move(conn.value()) : nullptr;
}

// Polls until `done` or `timeout`; counts the new sessions seen.
int poll_until(MqttConnection& conn, const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  int sessions = 0;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done() && std::chrono::steady_clock::now() < deadline) sessions += conn.poll(50ms) ? 1 : 0;
  return sessions;
}

TEST(MqttConnection, PublishesRetainedAndTheLastWillAnnouncesADeadSession) {
  MosquittoBroker broker;
  ASSERT_TRUE(broker.start()) << broker.log();
  MqttRecorder rec(broker.port(), {"test/#"});
  auto conn = connection(client_config(broker.port()));
  ASSERT_TRUE(conn);
  EXPECT_EQ(poll_until(
                *conn, [&] { return conn->connected(); }, 5s),
            1);
  ASSERT_TRUE(conn->connected()) << conn->last_error();
  ASSERT_TRUE(conn->publish({"test/status", "online", true}, 1));
  poll_until(
      *conn, [&] { return !rec.wait_for_topic("test/status", 0ms).topic.empty(); }, 5s);
  EXPECT_EQ(rec.wait_for_topic("test/status", 0ms).payload, "online");

  // A late subscriber gets the retained message.
  MqttRecorder late(broker.port(), {"test/#"});
  const auto retained = late.wait_for_topic("test/status", 5s);
  EXPECT_EQ(retained.payload, "online");
  EXPECT_TRUE(retained.retained);

  // Dropping the socket without DISCONNECT (as a killed process does): the broker sends the will.
  rec.clear();
  conn.reset();
  const auto will = rec.wait_for([](const auto& m) { return m.topic == "test/status" && m.payload == "offline"; }, 10s);
  EXPECT_EQ(will.payload, "offline") << broker.log();
}

TEST(MqttConnection, ACleanCloseSendsTheLastMessageInsteadOfTheWill) {
  MosquittoBroker broker;
  ASSERT_TRUE(broker.start());
  MqttRecorder rec(broker.port(), {"test/#"});
  auto conn = connection(client_config(broker.port()));
  poll_until(
      *conn, [&] { return conn->connected(); }, 5s);
  ASSERT_TRUE(conn->connected());
  conn->close({"test/status", "bye", true}, 2s);
  EXPECT_EQ(rec.wait_for_topic("test/status", 5s).payload, "bye");
  EXPECT_FALSE(conn->connected());
}

TEST(MqttConnection, ReconnectsWhenTheBrokerComesBack) {
  MosquittoBroker broker;
  ASSERT_TRUE(broker.start());
  auto conn = connection(client_config(broker.port()));
  EXPECT_EQ(poll_until(
                *conn, [&] { return conn->connected(); }, 5s),
            1);
  broker.stop();
  poll_until(
      *conn, [&] { return !conn->connected(); }, 10s);
  EXPECT_FALSE(conn->connected());
  EXPECT_FALSE(conn->last_error().empty());
  // While it is down, attempts fail and back off; none of it blocks for long.
  const auto t0 = std::chrono::steady_clock::now();
  poll_until(
      *conn, [] { return false; }, 1500ms);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  EXPECT_FALSE(conn->connected());
  ASSERT_TRUE(broker.start());
  EXPECT_EQ(poll_until(
                *conn, [&] { return conn->connected(); }, 10s),
            1);
  EXPECT_TRUE(conn->connected()) << conn->last_error();
  EXPECT_EQ(conn->sessions(), 2u);
}

TEST(MqttConnection, AStartWithTheBrokerDownKeepsTryingUntilItIsUp) {
  MosquittoBroker broker;
  auto conn = connection(client_config(broker.port()));
  poll_until(
      *conn, [] { return false; }, 1s);
  EXPECT_FALSE(conn->connected());
  EXPECT_NE(conn->last_error(), "");
  ASSERT_TRUE(broker.start());
  poll_until(
      *conn, [&] { return conn->connected(); }, 10s);
  EXPECT_TRUE(conn->connected()) << conn->last_error();
}

TEST(MqttConnection, UsernameAndPasswordAreRequiredByTheBroker) {
  MosquittoBroker broker({"iota", "s3cret-pw", "", ""});
  ASSERT_TRUE(broker.start()) << broker.log();
  config::MqttConfig c = client_config(broker.port());
  c.username = "iota";
  c.password = "wrong";
  auto bad = connection(c);
  poll_until(
      *bad, [&] { return !bad->last_error().empty(); }, 5s);
  EXPECT_FALSE(bad->connected());
  EXPECT_NE(bad->last_error().find("not authorised"), std::string::npos) << bad->last_error();

  c.password = "s3cret-pw";
  c.client_id = "iotawatt-connection-test-2";
  auto good = connection(c);
  poll_until(
      *good, [&] { return good->connected(); }, 5s);
  EXPECT_TRUE(good->connected()) << good->last_error() << broker.log();
}

class MqttTls : public ::testing::Test {
 protected:
  void SetUp() override {
    pki_ = testing::make_test_pki(testing::mqtt_temp_dir("pki"));
    ASSERT_FALSE(pki_.ca_cert.empty()) << "openssl could not make the test certificates";
    broker_ =
        std::make_unique<MosquittoBroker>(testing::BrokerOptions{"", "", pki_.server_cert, pki_.server_key}, "tls");
    ASSERT_TRUE(broker_->start()) << broker_->log();
  }
  config::MqttConfig tls_config(const std::string& ca) const {
    config::MqttConfig c = client_config(broker_->port());
    c.tls.enabled = true;
    c.tls.ca_file = ca;
    return c;
  }
  testing::TestPki pki_;
  std::unique_ptr<MosquittoBroker> broker_;
};

TEST_F(MqttTls, TheRightCaConnects) {
  auto conn = connection(tls_config(pki_.ca_cert));
  poll_until(
      *conn, [&] { return conn->connected(); }, 5s);
  EXPECT_TRUE(conn->connected()) << conn->last_error() << broker_->log();
}

TEST_F(MqttTls, AnotherCaIsRefusedWithTheReason) {
  auto conn = connection(tls_config(pki_.other_ca_cert));
  poll_until(
      *conn, [&] { return !conn->last_error().empty(); }, 5s);
  EXPECT_FALSE(conn->connected());
  EXPECT_NE(conn->last_error().find("certificate verify failed"), std::string::npos) << conn->last_error();
}

TEST_F(MqttTls, PlainMqttToATlsListenerNeverCountsAsConnected) {
  auto conn = connection(client_config(broker_->port()));
  poll_until(
      *conn, [&] { return !conn->last_error().empty(); }, 12s);
  EXPECT_FALSE(conn->connected());
  EXPECT_FALSE(conn->last_error().empty());
}

}  // namespace
}  // namespace iw::upload
