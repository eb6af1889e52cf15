#include "upload/mqtt_connection.h"

#include <mosquitto.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

namespace iw::upload {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// A CONNACK that does not come within this long counts as a failed attempt.
constexpr auto kConnectTimeout = std::chrono::seconds(10);
constexpr milliseconds kFirstBackoff{1000};
constexpr int kVerifyPeer = 1;  // OpenSSL's SSL_VERIFY_PEER

// libmosquitto's messages end with a full stop; ours go on after them.
std::string sentence_part(std::string s) {
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
  return s;
}

void init_library() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

}  // namespace

Result<std::unique_ptr<MqttConnection>> MqttConnection::Create(const config::MqttConfig& config, MqttMessage will) {
  init_library();
  mosquitto* mosq = mosquitto_new(config.client_id.c_str(), true, nullptr);
  if (mosq == nullptr) return Status::IOError(std::string("mqtt: cannot create a client: ") + std::strerror(errno));
  std::unique_ptr<MqttConnection> c(new MqttConnection(config, mosq));
  if (Status st = c->configure(will); !st) return st;
  return c;
}

MqttConnection::MqttConnection(const config::MqttConfig& config, mosquitto* mosq) : config_(config), mosq_(mosq) {
  mosquitto_user_data_set(mosq_, this);
  mosquitto_connect_callback_set(mosq_, &MqttConnection::on_connect);
  mosquitto_disconnect_callback_set(mosq_, &MqttConnection::on_disconnect);
  mosquitto_message_callback_set(mosq_, &MqttConnection::on_message);
  mosquitto_log_callback_set(mosq_, &MqttConnection::on_log);
}

MqttConnection::~MqttConnection() { mosquitto_destroy(mosq_); }

Status MqttConnection::configure(const MqttMessage& will) {
  auto check = [](int rc, const std::string& what) {
    if (rc == MOSQ_ERR_SUCCESS) return Status::Ok();
    return Status::Unavailable("mqtt: " + what + ": " + mosquitto_strerror(rc));
  };
  mosquitto_int_option(mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  Status st = check(mosquitto_will_set(mosq_, will.topic.c_str(), static_cast<int>(will.payload.size()),
                                       will.payload.data(), 1, will.retain),
                    "last will on " + will.topic);
  if (st && !config_.username.empty()) {
    st = check(mosquitto_username_pw_set(mosq_, config_.username.c_str(),
                                         config_.password.empty() ? nullptr : config_.password.c_str()),
               "username");
  }
  if (st && config_.tls.enabled) {
    const config::MqttTls& tls = config_.tls;
    auto opt = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
    // Without a CA file the system's store verifies the broker.
    const char* ca_path = tls.ca_file.empty() ? "/etc/ssl/certs" : nullptr;
    st = check(mosquitto_tls_set(mosq_, opt(tls.ca_file), ca_path, opt(tls.cert_file), opt(tls.key_file), nullptr),
               "tls (ca_file " + tls.ca_file + ", cert_file " + tls.cert_file + ")");
    if (st) st = check(mosquitto_tls_opts_set(mosq_, kVerifyPeer, nullptr, nullptr), "tls options");
    if (st) st = check(mosquitto_tls_insecure_set(mosq_, false), "tls host name check");
  }
  return st;
}

std::string MqttConnection::detail(int rc) const {
  std::string why = sentence_part(rc == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(rc));
  if (!last_log_error_.empty()) why += " (" + last_log_error_ + ")";
  return why;
}

void MqttConnection::start_connect() {
  last_log_error_.clear();
  const int rc = ever_started_
                     ? mosquitto_reconnect_async(mosq_)
                     : mosquitto_connect_async(mosq_, config_.host.c_str(), config_.port, config_.keepalive_s);
  if (rc != MOSQ_ERR_SUCCESS) {
    // A failed first attempt still stored host and port; later attempts reconnect.
    ever_started_ = ever_started_ || rc != MOSQ_ERR_INVAL;
    state_ = State::kConnecting;
    fail(detail(rc));
    return;
  }
  ever_started_ = true;
  state_ = State::kConnecting;
  connect_started_ = Clock::now();
}

void MqttConnection::fail(const std::string& reason) {
  if (state_ == State::kIdle || state_ == State::kClosing) return;
  const bool was_connected = state_ == State::kConnected;
  state_ = State::kIdle;
  mosquitto_disconnect(mosq_);  // closes a half-open attempt; harmless when already closed
  // Jitter of +-20 % so that many monitors do not reconnect to a restarted broker in step.
  jitter_state_ = jitter_state_ * 6364136223846793005ULL + 1442695040888963407ULL;
  const double jitter = 0.8 + 0.4 * static_cast<double>(jitter_state_ >> 11) / 9007199254740992.0;
  const auto wait = milliseconds(static_cast<int64_t>(static_cast<double>(backoff_.count()) * jitter));
  next_attempt_ = Clock::now() + wait;
  backoff_ = std::min<milliseconds>(backoff_ * 2, milliseconds(int64_t{config_.reconnect_max_s} * 1000));
  last_error_ = reason;
  spdlog::warn("mqtt: {} {}:{}: {}; retrying in {:.1f} s",
               was_connected ? "lost the connection to" : "cannot connect to", config_.host, config_.port, reason,
               static_cast<double>(wait.count()) / 1000);
}

bool MqttConnection::poll(milliseconds timeout) {
  new_session_ = false;
  const auto now = Clock::now();
  if (state_ == State::kIdle && now >= next_attempt_) start_connect();
  if (state_ == State::kIdle) {
    std::this_thread::sleep_for(std::min<Clock::duration>(timeout, next_attempt_ - now));
    return false;
  }
  const int rc = mosquitto_loop(mosq_, static_cast<int>(timeout.count()), 1);
  if (rc != MOSQ_ERR_SUCCESS) {
    fail(detail(rc));
  } else if (state_ == State::kConnecting && Clock::now() - connect_started_ > kConnectTimeout) {
    fail("no answer from the broker within 10 s");
  }
  return new_session_;
}

Status MqttConnection::publish(const MqttMessage& m, int qos) {
  const int rc = mosquitto_publish(mosq_, nullptr, m.topic.c_str(), static_cast<int>(m.payload.size()),
                                   m.payload.data(), qos, m.retain);
  if (rc != MOSQ_ERR_SUCCESS) return Status::Unavailable("mqtt: publish " + m.topic + ": " + mosquitto_strerror(rc));
  ++published_;
  return Status::Ok();
}

Status MqttConnection::subscribe(const std::string& topic, int qos) {
  const int rc = mosquitto_subscribe(mosq_, nullptr, topic.c_str(), qos);
  if (rc != MOSQ_ERR_SUCCESS) return Status::Unavailable("mqtt: subscribe " + topic + ": " + mosquitto_strerror(rc));
  return Status::Ok();
}

void MqttConnection::close(const MqttMessage& last, milliseconds timeout) {
  if (state_ != State::kConnected) return;
  // Best effort: if the last message cannot be queued, the broker still learns that we are
  // gone, from the will (configure()) when the connection drops, so nothing is lost by
  // going on to disconnect.
  (void)publish(last, 1);
  const auto deadline = Clock::now() + timeout;
  // Let the last message out before the DISCONNECT (which also discards the will).
  while (mosquitto_want_write(mosq_) && Clock::now() < deadline) {
    if (mosquitto_loop(mosq_, 50, 1) != MOSQ_ERR_SUCCESS) break;
  }
  state_ = State::kClosing;
  mosquitto_disconnect(mosq_);
  while (Clock::now() < deadline) {
    if (mosquitto_loop(mosq_, 50, 1) != MOSQ_ERR_SUCCESS) break;
  }
}

void MqttConnection::on_connect(mosquitto*, void* self, int rc) {
  auto* c = static_cast<MqttConnection*>(self);
  if (rc != 0) {
    c->fail("the broker refused the connection: " + sentence_part(mosquitto_connack_string(rc)));
    return;
  }
  c->state_ = State::kConnected;
  c->backoff_ = kFirstBackoff;
  c->new_session_ = true;
  c->last_error_.clear();
  ++c->sessions_;
  spdlog::info("mqtt: connected to {}:{}{} as {}", c->config_.host, c->config_.port,
               c->config_.tls.enabled ? " (TLS)" : "", c->config_.client_id);
}

void MqttConnection::on_disconnect(mosquitto*, void* self, int rc) {
  auto* c = static_cast<MqttConnection*>(self);
  if (rc == 0) return;  // our own DISCONNECT
  c->fail(c->detail(rc == MOSQ_ERR_ERRNO ? rc : MOSQ_ERR_CONN_LOST));
}

void MqttConnection::on_message(mosquitto*, void* self, const mosquitto_message* m) {
  auto* c = static_cast<MqttConnection*>(self);
  if (!c->on_message_ || m->topic == nullptr) return;
  std::string payload;
  if (m->payload != nullptr && m->payloadlen > 0) {
    payload.assign(static_cast<const char*>(m->payload), static_cast<size_t>(m->payloadlen));
  }
  c->on_message_(m->topic, payload);
}

void MqttConnection::on_log(mosquitto*, void* self, int level, const char* text) {
  if ((level & (MOSQ_LOG_ERR | MOSQ_LOG_WARNING)) == 0 || text == nullptr) return;
  static_cast<MqttConnection*>(self)->last_log_error_ = text;
}

}  // namespace iw::upload
