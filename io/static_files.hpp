// Serves the pages in webui/ and the npm packages vendored into
// webui/node_modules (never a CDN).
#pragma once

#include "io/http.hpp"

#include <string>

namespace o2hub {

/// Content type for a file name by its extension.
std::string_view content_type_for(std::string_view filename);

/// A prefix-route handler serving files below `root`; rejects "..", hidden
/// files and anything outside `root`. An empty rest serves `index`.
http::handler static_files(std::string root, std::string index = "index.html");

/// A handler serving one file.
http::handler static_file(std::string path);

/// A prefix-route handler for /vendor/<package>/<file>: only the packages the
/// pages use, from <webui>/node_modules.
http::handler vendor_files(std::string node_modules);

} // namespace o2hub
