// The libFuzzer targets as plain executables (the normal g++ ASan/UBSan test build, no clang):
// replays every file named on the command line — directories: every regular file in them, in
// name order — through the target's LLVMFuzzerTestOneInput. A crash, leak or sanitizer report
// fails the process, so ctest catches regressions without a fuzzing toolchain.
//   replay_TARGET [--der-from-mime] PATH...
// --der-from-mime: a MIME input (an S/MIME message) is fed as well as its base64 body decoded,
// which is what the CMS decoder's seeds need. A missing PATH is an error (the seeds must exist).
#include <botan/base64.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

void feed(const std::string& data) {
  // A copy of exactly `size` bytes, so ASan sees reads past the end as the fuzzer would.
  std::vector<std::uint8_t> buf(data.begin(), data.end());
  LLVMFuzzerTestOneInput(buf.data(), buf.size());
}

/// The base64 body of a single-part MIME entity ("" when there is none).
std::string mime_body_der(const std::string& text) {
  std::size_t head = text.find("\r\n\r\n");
  std::size_t skip = 4;
  if (head == std::string::npos) {
    head = text.find("\n\n");
    skip = 2;
  }
  if (head == std::string::npos) return {};
  std::string body = text.substr(head + skip);
  body = body.substr(0, body.find("\n--"));
  std::string b64;
  std::copy_if(body.begin(), body.end(), std::back_inserter(b64), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
  });
  try {
    const auto der = Botan::base64_decode(b64);
    return std::string(der.begin(), der.end());
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool der_from_mime = false;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--der-from-mime") {
      der_from_mime = true;
      continue;
    }
    const fs::path p(a);
    if (fs::is_directory(p)) {
      std::vector<fs::path> in;
      for (const auto& e : fs::directory_iterator(p))
        if (e.is_regular_file() && e.path().filename() != ".gitkeep") in.push_back(e.path());
      std::sort(in.begin(), in.end());
      files.insert(files.end(), in.begin(), in.end());
    } else if (fs::is_regular_file(p)) {
      files.push_back(p);
    } else {
      std::fprintf(stderr, "replay: %s does not exist\n", a.c_str());
      return 2;
    }
  }
  std::size_t runs = 0;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), {});
    feed(data);
    ++runs;
    if (der_from_mime && !data.empty() && data[0] != 0x30) {
      const std::string der = mime_body_der(data);
      if (!der.empty()) {
        feed(der);
        ++runs;
      }
    }
  }
  std::printf("replay: %zu files, %zu inputs, no crash\n", files.size(), runs);
  return 0;
}
