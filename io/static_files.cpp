#include "io/static_files.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

namespace o2hub {

namespace {

bool read_file(const std::string& path, std::string& out) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return false; // a directory (or anything else) is not a file to serve
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

/// True when every segment of `rest` is a plain name.
bool safe_relative(std::string_view rest) {
  if (rest.empty())
    return true;
  size_t i = 0;
  while (i <= rest.size()) {
    auto j = rest.find('/', i);
    if (j == std::string_view::npos)
      j = rest.size();
    auto seg = rest.substr(i, j - i);
    if (seg.empty() || seg.front() == '.' || seg.find('\\') != std::string_view::npos)
      return false;
    i = j + 1;
  }
  return true;
}

void serve(const std::string& path, const http::request& req,
           const http::responder& respond) {
  std::string body;
  if (!read_file(path, body)) {
    respond(http::make_error(req, http::status::not_found, "not_found", "no such file"));
    return;
  }
  auto res =
      http::make_body(req, http::status::ok, std::move(body), content_type_for(path));
  res.set(http::bhttp::field::cache_control, "no-cache");
  respond(std::move(res));
}

} // namespace

std::string_view content_type_for(std::string_view filename) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> types{
      {{".html", "text/html; charset=utf-8"},
       {".js", "text/javascript; charset=utf-8"},
       {".mjs", "text/javascript; charset=utf-8"},
       {".css", "text/css; charset=utf-8"},
       {".json", "application/json"},
       {".svg", "image/svg+xml"},
       {".png", "image/png"},
       {".ico", "image/x-icon"},
       {".map", "application/json"},
       {".txt", "text/plain; charset=utf-8"},
       {".woff2", "font/woff2"},
       {".yaml", "text/yaml; charset=utf-8"}}};
  for (const auto& [ext, type] : types)
    if (filename.size() >= ext.size()
        && filename.substr(filename.size() - ext.size()) == ext)
      return type;
  return "application/octet-stream";
}

http::handler static_files(std::string root, std::string index) {
  return [root = std::move(root), index = std::move(index)](
             const http::request& req, const http::request_context& ctx,
             http::responder respond) {
    if (!safe_relative(ctx.rest)) {
      respond(
          http::make_error(req, http::status::not_found, "not_found", "no such file"));
      return;
    }
    serve(root + "/" + (ctx.rest.empty() ? index : ctx.rest), req, respond);
  };
}

http::handler static_file(std::string path) {
  return [path = std::move(path)](const http::request& req, const http::request_context&,
                                  http::responder respond) { serve(path, req, respond); };
}

http::handler vendor_files(std::string node_modules) {
  return [root = std::move(node_modules)](const http::request& req,
                                          const http::request_context& ctx,
                                          http::responder respond) {
    // /vendor/<alias>/<path inside the package>
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 5>
        packages{{{"xterm", "@xterm/xterm"},
                  {"xterm-addon-fit", "@xterm/addon-fit"},
                  {"xterm-addon-web-links", "@xterm/addon-web-links"},
                  {"uplot", "uplot"},
                  {"swagger-ui", "swagger-ui-dist"}}};
    auto slash = ctx.rest.find('/');
    auto alias = std::string_view{ctx.rest}.substr(0, slash);
    auto inner = slash == std::string::npos
                     ? std::string_view{}
                     : std::string_view{ctx.rest}.substr(slash + 1);
    for (const auto& [name, package] : packages) {
      if (alias == name && !inner.empty() && safe_relative(inner)) {
        serve(root + "/" + std::string{package} + "/" + std::string{inner}, req, respond);
        return;
      }
    }
    respond(http::make_error(req, http::status::not_found, "not_found",
                             "no such vendored file"));
  };
}

} // namespace o2hub
