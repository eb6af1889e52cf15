// One MQTT session to a broker over libmosquitto, kept up for as long as the object lives:
// connects with a last will, TLS (the broker's certificate and host name always verified)
// and username/password, and when the broker goes away reconnects with exponential backoff
// (1 s doubling to reconnect_max, with jitter). Errors go to the message log with the reason
// ("certificate verify failed", "not authorised").
//
// REQUIRES: external synchronization. Every call, and every callback it makes, happens on the
// caller's one thread (the MQTT service's); libmosquitto's own thread is not used, so a fatal
// error (TLS, authentication, DNS) never ends the retries.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "config/mqtt_config.h"
#include "upload/mqtt_messages.h"

struct mosquitto;
struct mosquitto_message;

namespace iw::upload {

class MqttConnection {
 public:
  using MessageHandler = std::function<void(const std::string& topic, const std::string& payload)>;

  // Sets up the client (nothing is sent yet); fails on options libmosquitto refuses (a
  // certificate file it cannot load).
  static Result<std::unique_ptr<MqttConnection>> Create(const config::MqttConfig& config, MqttMessage will);
  ~MqttConnection();
  MqttConnection(const MqttConnection&) = delete;
  MqttConnection& operator=(const MqttConnection&) = delete;

  // Runs the network for up to `timeout`: starts a connection when one is due, then reads and
  // writes. Returns true when a new session with the broker began during this call (everything
  // retained must be published again: the broker may have restarted without its store).
  bool poll(std::chrono::milliseconds timeout);
  bool connected() const { return state_ == State::kConnected; }

  // REQUIRES: connected(). Queued in libmosquitto; written by the following poll() calls.
  Status publish(const MqttMessage& message, int qos);
  Status subscribe(const std::string& topic, int qos);
  void set_message_handler(MessageHandler handler) { on_message_ = std::move(handler); }

  // Publishes `last` (when connected), disconnects cleanly and waits up to `timeout` for both
  // to be written.
  void close(const MqttMessage& last, std::chrono::milliseconds timeout);

  uint64_t sessions() const { return sessions_; }    // successful connects so far
  uint64_t published() const { return published_; }  // messages handed to the broker
  const std::string& last_error() const { return last_error_; }

 private:
  enum class State { kIdle, kConnecting, kConnected, kClosing };

  MqttConnection(const config::MqttConfig& config, mosquitto* mosq);
  Status configure(const MqttMessage& will);
  void start_connect();
  void fail(const std::string& reason);
  std::string detail(int rc) const;

  static void on_connect(mosquitto* mosq, void* self, int rc);
  static void on_disconnect(mosquitto* mosq, void* self, int rc);
  static void on_message(mosquitto* mosq, void* self, const mosquitto_message* message);
  static void on_log(mosquitto* mosq, void* self, int level, const char* text);

  config::MqttConfig config_;
  mosquitto* mosq_ = nullptr;
  State state_ = State::kIdle;
  bool ever_started_ = false;
  bool new_session_ = false;
  std::chrono::steady_clock::time_point next_attempt_{};
  std::chrono::steady_clock::time_point connect_started_{};
  std::chrono::milliseconds backoff_{1000};
  std::string last_log_error_;  // libmosquitto's last error line (the OpenSSL reason)
  std::string last_error_;
  uint64_t sessions_ = 0;
  uint64_t published_ = 0;
  uint64_t jitter_state_ = 0x9e3779b97f4a7c15ULL;
  MessageHandler on_message_;
};

}  // namespace iw::upload
