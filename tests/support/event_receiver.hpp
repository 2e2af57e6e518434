// A small local HTTP server that receives POSTed events (TMF921 hub
// callbacks): it keeps every body in arrival order and answers 201, or —
// `hang` — reads the request and never answers until it is destroyed.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace o2hub::test {

class event_receiver {
public:
  explicit event_receiver(bool hang = false) : hang_(hang) {
    namespace net = boost::asio;
    acceptor_.open(net::ip::tcp::v4());
    acceptor_.bind({net::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { accept_loop(); });
  }

  ~event_receiver() {
    stopping_ = true;
    {
      std::lock_guard<std::mutex> g{mtx_};
      cv_.notify_all();
    }
    boost::system::error_code ec;
    {
      // A blocking accept wakes up for a connection, not for close().
      boost::asio::io_context ioc;
      boost::asio::ip::tcp::socket wake{ioc};
      wake.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
    }
    acceptor_.close(ec);
    {
      std::lock_guard<std::mutex> g{mtx_};
      for (auto& s : sockets_)
        s->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    }
    thread_.join();
    for (auto& t : workers_)
      t.join();
  }

  std::string url(const std::string& path = "/listener") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  /// Bodies received so far (a hanging receiver records them too).
  std::vector<std::string> bodies() const {
    std::lock_guard<std::mutex> g{mtx_};
    return bodies_;
  }

  /// Waits until at least `n` bodies came or `timeout` passed.
  std::vector<std::string> wait_for(size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock<std::mutex> g{mtx_};
    cv_.wait_for(g, timeout, [&] { return bodies_.size() >= n; });
    return bodies_;
  }

private:
  void accept_loop() {
    while (!stopping_) {
      auto sock = std::make_shared<boost::asio::ip::tcp::socket>(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(*sock, ec);
      if (ec || stopping_)
        return;
      std::lock_guard<std::mutex> g{mtx_};
      sockets_.push_back(sock);
      workers_.emplace_back([this, sock] { serve(*sock); });
    }
  }

  void serve(boost::asio::ip::tcp::socket& sock) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buf;
    for (;;) {
      http::request<http::string_body> req;
      boost::system::error_code ec;
      http::read(sock, buf, req, ec);
      if (ec)
        return;
      {
        std::unique_lock<std::mutex> g{mtx_};
        bodies_.push_back(req.body());
        cv_.notify_all();
        if (hang_) {
          cv_.wait(g, [&] { return stopping_.load(); });
          return;
        }
      }
      http::response<http::string_body> res{http::status::created, req.version()};
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      http::write(sock, res, ec);
      if (ec || !req.keep_alive())
        return;
    }
  }

  bool hang_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_{ioc_};
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mtx_;
  mutable std::condition_variable cv_;
  std::vector<std::string> bodies_;
  std::vector<std::shared_ptr<boost::asio::ip::tcp::socket>> sockets_;
  std::vector<std::thread> workers_;
  std::thread thread_;
};

} // namespace o2hub::test
