#include "server/http_server.h"

#include <array>
#include <atomic>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "base/strings.h"
#include "server/connection_table.h"
#include "server/request_target.h"
#include "server/response_pipe.h"

namespace iw::server {

bool split_host_port(const std::string& address, std::string* host, int* port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size()) return false;
  std::string h = address.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  const std::string p = address.substr(colon + 1);
  if (!is_digits(p) || p.size() > 5) return false;
  const int value = std::stoi(p);
  if (value > 65535) return false;
  *host = h.empty() ? "0.0.0.0" : h;
  *port = value;
  return true;
}

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

std::string client_address(const tcp::socket& socket) {
  error_code ec;
  const tcp::endpoint remote = socket.remote_endpoint(ec);
  if (ec) return "";
  net::ip::address a = remote.address();
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = net::ip::make_address_v4(net::ip::v4_mapped, a.to_v6());
  return a.to_string();
}

// The request as the handlers see it, from a parsed head; the body is added later.
HttpRequest request_from_head(const http::request<http::empty_body>& head, std::string remote) {
  HttpRequest r;
  r.method = std::string(head.method_string());
  r.target = std::string(head.target());
  split_target(r.target, &r.path, &r.params);
  for (const auto& field : head) r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  r.remote_addr = std::move(remote);
  return r;
}

bool is_form(const HttpRequest& r) { return r.header("Content-Type").starts_with("application/x-www-form-urlencoded"); }

http::response<http::string_body> to_beast(HttpResponse&& r, bool head_only, unsigned version, bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), version};
  res.set(http::field::content_type, r.content_type);
  for (auto& [name, value] : r.headers) res.insert(name, value);
  res.keep_alive(keep_alive);
  if (head_only) {
    res.content_length(r.body.size());
  } else {
    res.body() = std::move(r.body);
    res.prepare_payload();
  }
  return res;
}

// One connection's lifecycle, on the I/O thread except where marked: read a head, authorize,
// read the body, run the handler on a worker, write the answer, and again while keep-alive.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void close() = 0;
};

}  // namespace

struct HttpServer::Impl {
  Impl(Routes r, Authorizer a, EdgeLimits l)
      : routes(std::move(r)),
        authorize(std::move(a)),
        limits(l),
        workers(l.workers),
        table(l.connections_per_client, l.connections_total) {}

  Status listen(const std::string& address, bool tls, int* bound_port);
  void accept(tcp::acceptor& acceptor, bool tls);
  void admit(tcp::socket socket, bool tls);
  void close_all();

  Routes routes;
  Authorizer authorize;
  EdgeLimits limits;
  net::io_context io{1};
  net::executor_work_guard<net::io_context::executor_type> work = net::make_work_guard(io);
  net::thread_pool workers;
  std::thread io_thread;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;  // I/O thread once running
  std::unique_ptr<ssl::context> tls_context;
  ConnectionTable table;                                                         // I/O thread
  std::unordered_map<ConnectionTable::Id, std::weak_ptr<SessionBase>> sessions;  // I/O thread
  std::atomic<size_t> queued{0};
  std::atomic<int> plain_port{0}, secure_port{0};
  bool stopped = false;
  mutable std::mutex counters_mutex;
  EdgeCounters counters;

  void count(uint64_t EdgeCounters::*field) {
    std::lock_guard lock(counters_mutex);
    ++(counters.*field);
  }
};

namespace {

template <typename Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  using Impl = HttpServer::Impl;
  Session(Impl& server, Stream stream, ConnectionTable::Id id, std::string remote)
      : server_(server),
        stream_(std::move(stream)),
        id_(id),
        remote_(std::move(remote)),
        buffer_(server.limits.head_bytes + 4096) {}

  void begin() {
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      lowest().expires_after(server_.limits.tls_handshake_deadline);
      stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](error_code ec) {
        if (ec) return self->fail(ec);
        self->read_head();
      });
    } else {
      read_head();
    }
  }

  void close() override { end(); }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void read_head() {
    if (ended_) return;
    server_.table.set_busy(id_, false);
    head_.emplace();
    head_->header_limit(static_cast<uint32_t>(server_.limits.head_bytes));
    lowest().expires_after(server_.limits.head_deadline);
    http::async_read_header(stream_, buffer_, *head_,
                            [self = this->shared_from_this()](error_code ec, size_t) { self->on_head(ec); });
  }

  void on_head(error_code ec) {
    if (ec) {
      if (ec == http::error::header_limit) return refuse(431, "the request head is larger than 16 KiB");
      if (ec == http::error::end_of_stream || ec == net::error::operation_aborted) return end();
      if (ec == beast::error::timeout || ec.category() != http::make_error_code(http::error::header_limit).category())
        return fail(ec);
      server_.count(&EdgeCounters::bad_requests);
      return refuse(400, "not an HTTP/1.1 request: " + ec.message());
    }
    server_.table.set_busy(id_, true);
    const auto& head = head_->get();
    if (static_cast<size_t>(std::distance(head.begin(), head.end())) > server_.limits.header_count) {
      return refuse(431, "more than " + std::to_string(server_.limits.header_count) + " header fields");
    }
    version_ = head.version();
    keep_alive_ = head.keep_alive();
    head_only_ = head.method() == http::verb::head;
    request_ = request_from_head(head, remote_);
    if (server_.authorize) {
      if (auto refused = server_.authorize(request_)) {
        if (!head_->is_done()) keep_alive_ = false;  // its body is never read
        return respond(std::move(*refused));
      }
    }
    if (!head_->is_done() && !head_->chunked() && head_->content_length() &&
        *head_->content_length() > server_.limits.body_bytes) {
      return refuse(413, "the body is larger than " + std::to_string(server_.limits.body_bytes) + " bytes");
    }
    if (head_->is_done()) return run();
    if (beast::iequals(head[http::field::expect], "100-continue")) return send_continue();
    read_body();
  }

  void send_continue() {
    auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, version_);
    lowest().expires_after(server_.limits.write_deadline);
    http::async_write(stream_, *cont, [self = this->shared_from_this(), cont](error_code ec, size_t) {
      if (ec) return self->fail(ec);
      self->read_body();
    });
  }

  void read_body() {
    body_.emplace(std::move(*head_));
    body_->body_limit(server_.limits.body_bytes);
    lowest().expires_after(server_.limits.body_deadline);
    http::async_read(stream_, buffer_, *body_,
                     [self = this->shared_from_this()](error_code ec, size_t) { self->on_body(ec); });
  }

  void on_body(error_code ec) {
    if (ec == http::error::body_limit) {
      return refuse(413, "the body is larger than " + std::to_string(server_.limits.body_bytes) + " bytes");
    }
    if (ec) return fail(ec);  // a timeout included: the stream has closed the socket
    request_.body = body_->release().body();
    body_.reset();
    if (is_form(request_)) append_form_params(request_.body, &request_.params);
    run();
  }

  // Hands the request to a worker; the answer comes back to the I/O thread.
  void run() {
    if (server_.queued.fetch_add(1) >= server_.limits.queued_requests) {
      server_.queued.fetch_sub(1);
      server_.count(&EdgeCounters::overloaded);
      keep_alive_ = false;
      HttpResponse busy = HttpResponse::text(503, "busy: too many requests at once, try again in a second");
      busy.headers.emplace_back("Retry-After", "1");
      return respond(std::move(busy));
    }
    net::post(server_.workers,
              [self = this->shared_from_this(), request = std::move(request_)] { self->work(request); });
  }

  // Worker thread.
  void work(const HttpRequest& request) {
    HttpResponse response;
    try {
      response = server_.routes.dispatch(request);
    } catch (const std::exception& e) {
      response = HttpResponse::text(500, std::string("internal error: ") + e.what());
    }
    if (!response.stream) {
      server_.queued.fetch_sub(1);
      net::post(server_.io,
                [self = this->shared_from_this(), r = std::move(response)]() mutable { self->respond(std::move(r)); });
      return;
    }
    auto produce = std::move(response.stream);
    // While the answer streams, no I/O operation may be pending (waiting for the producer),
    // so the pipe's wake keeps the session alive. The cycle session -> pipe -> session ends
    // where the stream ends: pump() after the last chunk, or end().
    auto pipe = std::make_shared<ResponsePipe>(
        server_.limits.stream_buffer_bytes,
        [&io = server_.io, self = this->shared_from_this()] { net::post(io, [self] { self->pump(); }); });
    net::post(server_.io, [self = this->shared_from_this(), r = std::move(response), pipe]() mutable {
      self->respond_streamed(std::move(r), pipe);
    });
    if (!head_only_) {
      try {
        produce([&pipe](std::string_view piece) { return piece.empty() || pipe->write(piece); });
      } catch (const std::exception&) {
        pipe->cancel();
      }
    }
    pipe->finish();
    server_.queued.fetch_sub(1);
  }

  void respond(HttpResponse response) {
    if (ended_) return;
    auto res = std::make_shared<http::response<http::string_body>>(
        to_beast(std::move(response), head_only_, version_, keep_alive_));
    lowest().expires_after(server_.limits.write_deadline);
    http::async_write(stream_, *res, [self = this->shared_from_this(), res](error_code ec, size_t) {
      if (ec) return self->fail(ec);
      self->after_answer();
    });
  }

  void respond_streamed(HttpResponse response, std::shared_ptr<ResponsePipe> pipe) {
    if (ended_) return pipe->cancel();
    pipe_ = std::move(pipe);
    auto header =
        std::make_shared<http::response<http::empty_body>>(static_cast<http::status>(response.status), version_);
    header->set(http::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) header->insert(name, value);
    header->keep_alive(keep_alive_);
    header->chunked(true);
    auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*header);
    writing_ = true;
    lowest().expires_after(server_.limits.write_deadline);
    http::async_write_header(stream_, *serializer,
                             [self = this->shared_from_this(), header, serializer](error_code ec, size_t) {
                               self->writing_ = false;
                               if (ec) return self->fail(ec);
                               if (self->head_only_) {
                                 self->pipe_->cancel();
                                 self->pipe_.reset();
                                 return self->after_answer();
                               }
                               self->pump();
                             });
  }

  // Writes what the producer left in the pipe as one chunk; the last chunk once it finished.
  void pump() {
    if (ended_ || writing_ || !pipe_) return;
    bool finished = false;
    chunk_ = pipe_->take(&finished);
    if (chunk_.empty() && !finished) return;  // woken again when data arrives
    writing_ = true;
    lowest().expires_after(server_.limits.write_deadline);
    auto done = [self = this->shared_from_this(), finished](error_code ec, size_t) {
      self->writing_ = false;
      if (ec) return self->fail(ec);
      if (!finished) return self->pump();
      self->pipe_.reset();
      self->after_answer();
    };
    if (finished) {
      net::async_write(stream_, http::make_chunk_last(), std::move(done));
    } else {
      net::async_write(stream_, http::make_chunk(net::buffer(chunk_)), std::move(done));
    }
  }

  void after_answer() {
    if (!keep_alive_) return linger();
    read_head();
  }

  // Closes after an answer without cutting it off: a close with unread request bytes would
  // reset the connection and the client could lose the answer. So: end our side, then read
  // and drop what the client still sends, up to 64 KiB or 1 s (a flood gets no more), then close.
  void linger() {
    error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return end();
    lowest().expires_after(std::chrono::seconds(1));
    drain();
  }

  void drain() {
    lowest().async_read_some(net::buffer(discard_), [self = this->shared_from_this()](error_code ec, size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ >= 64 * 1024) return self->end();
      self->drain();
    });
  }

  // Answers a request the edge will not take, then closes.
  void refuse(int status, std::string why) {
    if (status == 413 || status == 431) server_.count(&EdgeCounters::too_large);
    keep_alive_ = false;
    if (!version_) version_ = 11;
    respond(HttpResponse::text(status, why + "\n"));
  }

  void fail(error_code ec) {
    if (ec == beast::error::timeout) server_.count(&EdgeCounters::deadlines);
    end();
  }

  // Ends the connection (idempotent): leaves the table, stops a producer, closes the socket.
  void end() {
    if (ended_) return;
    ended_ = true;
    if (pipe_) pipe_->cancel();
    pipe_.reset();
    server_.table.remove(id_);
    server_.sessions.erase(id_);
    error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    lowest().close();
  }

  Impl& server_;
  Stream stream_;
  const ConnectionTable::Id id_;
  const std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> head_;
  std::optional<http::request_parser<http::string_body>> body_;
  HttpRequest request_;
  unsigned version_ = 11;
  bool keep_alive_ = false, head_only_ = false;
  bool ended_ = false, writing_ = false;
  std::shared_ptr<ResponsePipe> pipe_;
  std::string chunk_;
  std::array<char, 4096> discard_;
  size_t drained_ = 0;
};

}  // namespace

Status HttpServer::Impl::listen(const std::string& address, bool tls, int* bound_port) {
  std::string host;
  int port = 0;
  const char* flag = tls ? "--https" : "--http";
  if (!split_host_port(address, &host, &port)) {
    return Status::InvalidArgument(std::string(flag) + ": '" + address +
                                   "' is not HOST:PORT (for example 127.0.0.1:8080)");
  }
  error_code ec;
  tcp::resolver resolver(io);
  const auto endpoints = resolver.resolve(host, std::to_string(port), tcp::resolver::passive, ec);
  if (ec || endpoints.empty()) return Status::Unavailable(std::string(flag) + ": cannot resolve '" + host + "'");
  auto acceptor = std::make_unique<tcp::acceptor>(io);
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + address + ": " + ec.message() + " (choose another " + flag + ")");
  }
  *bound_port = acceptor->local_endpoint().port();
  tcp::acceptor& a = *acceptor;
  acceptors.push_back(std::move(acceptor));
  net::post(io, [this, &a, tls] { accept(a, tls); });
  return Status::Ok();
}

void HttpServer::Impl::accept(tcp::acceptor& acceptor, bool tls) {
  acceptor.async_accept([this, &acceptor, tls](error_code ec, tcp::socket socket) {
    if (stopped || !acceptor.is_open()) return;
    if (ec) {
      // Out of file descriptors or a transient error: try again shortly, never spin.
      auto timer = std::make_shared<net::steady_timer>(io, std::chrono::milliseconds(100));
      timer->async_wait([this, &acceptor, tls, timer](error_code) { accept(acceptor, tls); });
      return;
    }
    admit(std::move(socket), tls);
    accept(acceptor, tls);
  });
}

void HttpServer::Impl::admit(tcp::socket socket, bool tls) {
  std::string remote = client_address(socket);
  const ConnectionTable::Admission a = table.admit(remote);
  if (a.evicted) {
    count(&EdgeCounters::evicted);
    if (auto it = sessions.find(*a.evicted); it != sessions.end()) {
      if (auto s = it->second.lock()) s->close();
      sessions.erase(*a.evicted);
    }
  }
  if (!a.admitted) {
    count(&EdgeCounters::refused);
    static const std::string kBusy =
        "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 33\r\n\r\n"
        "too many connections from you\r\n\r\n";
    error_code ec;
    socket.non_blocking(true, ec);
    socket.write_some(net::buffer(kBusy), ec);
    socket.close(ec);
    return;
  }
  count(&EdgeCounters::connections);
  error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  std::shared_ptr<SessionBase> session;
  if (tls) {
    auto s = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
        *this, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *tls_context), a.id,
        std::move(remote));
    sessions[a.id] = s;
    s->begin();
  } else {
    auto s = std::make_shared<Session<beast::tcp_stream>>(*this, beast::tcp_stream(std::move(socket)), a.id,
                                                          std::move(remote));
    sessions[a.id] = s;
    s->begin();
  }
}

void HttpServer::Impl::close_all() {
  stopped = true;
  for (auto& acceptor : acceptors) {
    error_code ec;
    acceptor->close(ec);
  }
  std::vector<std::shared_ptr<SessionBase>> open;
  for (auto& [id, weak] : sessions) {
    if (auto s = weak.lock()) open.push_back(std::move(s));
  }
  for (auto& s : open) s->close();
}

HttpServer::HttpServer(Routes routes, Authorizer authorize, EdgeLimits limits)
    : impl_(std::make_unique<Impl>(std::move(routes), std::move(authorize), limits)) {}

HttpServer::~HttpServer() { stop(); }

Status HttpServer::start(const std::string& address) {
  int port = 0;
  if (Status st = impl_->listen(address, false, &port); !st) return st;
  impl_->plain_port = port;
  if (!impl_->io_thread.joinable()) impl_->io_thread = std::thread([this] { impl_->io.run(); });
  return Status::Ok();
}

Status HttpServer::start_tls(const std::string& address, const TlsIdentity& identity) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  error_code ec;
  context->use_certificate_chain(net::buffer(identity.cert_pem), ec);
  if (!ec) context->use_private_key(net::buffer(identity.key_pem), ssl::context::pem, ec);
  if (ec) return Status::IOError("--https: " + identity.source + ": " + ec.message());
  impl_->tls_context = std::move(context);
  int port = 0;
  if (Status st = impl_->listen(address, true, &port); !st) return st;
  impl_->secure_port = port;
  if (!impl_->io_thread.joinable()) impl_->io_thread = std::thread([this] { impl_->io.run(); });
  return Status::Ok();
}

int HttpServer::port() const { return impl_->plain_port; }
int HttpServer::tls_port() const { return impl_->secure_port; }

EdgeCounters HttpServer::counters() const {
  std::lock_guard lock(impl_->counters_mutex);
  return impl_->counters;
}

void HttpServer::stop() {
  if (!impl_->io_thread.joinable()) return;
  std::promise<void> closed;
  net::post(impl_->io, [this, &closed] {
    impl_->close_all();
    closed.set_value();
  });
  closed.get_future().wait();
  impl_->workers.join();  // handlers finish; a streaming one sees its pipe cancelled
  impl_->work.reset();
  impl_->io.stop();
  impl_->io_thread.join();
}

}  // namespace iw::server
