// The HTTP sessions' framing helpers (io/server_impl.hpp).
#include "common/text.hpp"
#include "io/server_impl.hpp"

#include <boost/beast/http.hpp>

#include <atomic>
#include <string>

namespace o2hub {

namespace bhttp = boost::beast::http;

namespace {

std::atomic<uint64_t> connection_ids{1};

} // namespace

std::string unsafe_framing(const http::request& req) {
  auto te = req[bhttp::field::transfer_encoding];
  if (te.empty())
    return {};
  auto last = te.substr(te.rfind(',') == std::string_view::npos ? 0 : te.rfind(',') + 1);
  while (!last.empty() && (last.front() == ' ' || last.front() == '\t'))
    last.remove_prefix(1);
  while (!last.empty() && (last.back() == ' ' || last.back() == '\t'))
    last.remove_suffix(1);
  if (!iequals(last, "chunked"))
    return "Transfer-Encoding must end in chunked (got '" + std::string{te.substr(0, 64)}
           + "')";
  if (req.count(bhttp::field::content_length) > 0)
    return "Transfer-Encoding and Content-Length together";
  return {};
}

std::string render_head(const http::response& res) {
  std::string out;
  out.reserve(256);
  out += res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(res.result_int());
  out += ' ';
  auto reason = res.reason();
  out.append(reason.data(), reason.size());
  out += "\r\n";
  for (const auto& f : res) {
    auto name = f.name_string();
    auto value = f.value();
    out.append(name.data(), name.size());
    out += ": ";
    out.append(value.data(), value.size());
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}

uint64_t next_connection_id() {
  return connection_ids++;
}

} // namespace o2hub
