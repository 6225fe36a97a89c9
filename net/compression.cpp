#include "net/compression.hpp"

#include <stdexcept>
#include <zlib.h>

namespace tern::net {

namespace {

// zlib selects the container through the windowBits argument.
int window_bits(compression_format format) {
  switch (format) {
    case compression_format::gzip: return MAX_WBITS + 16;
    case compression_format::zlib: return MAX_WBITS;
    case compression_format::raw_deflate: return -MAX_WBITS;
    case compression_format::gzip_or_zlib: return MAX_WBITS + 32;
    case compression_format::none: break;
  }
  return 0;
}

// zlib's API predates const; it never writes through next_in.
Bytef* input_bytes(std::string_view data) {
  return reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
}

} // namespace

expected<std::string, compression_error> decompress(std::string_view data,
                                                    compression_format format,
                                                    std::size_t max_output) {
  if (format == compression_format::none) {
    if (data.size() > max_output)
      return unexpected{compression_error{"payload of " + std::to_string(data.size()) +
                                          " bytes exceeds the limit"}};
    return std::string{data};
  }
  z_stream stream{};
  if (inflateInit2(&stream, window_bits(format)) != Z_OK)
    return unexpected{compression_error{"zlib inflateInit2 failed"}};
  stream.next_in = input_bytes(data);
  stream.avail_in = static_cast<uInt>(data.size());

  std::string output;
  char chunk[16384];
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) {
      const bool truncated = status == Z_BUF_ERROR && stream.avail_in == 0;
      inflateEnd(&stream);
      return unexpected{compression_error{
          std::string{to_string(format)} + " payload is " +
          (truncated ? "truncated" : "corrupt: " + std::string{stream.msg ? stream.msg : "?"})}};
    }
    output.append(chunk, sizeof chunk - stream.avail_out);
    if (output.size() > max_output) {
      inflateEnd(&stream);
      return unexpected{compression_error{"decompressed payload exceeds " +
                                          std::to_string(max_output) + " bytes"}};
    }
  }
  inflateEnd(&stream);
  return output;
}

std::string compress(std::string_view data, compression_format format) {
  if (format == compression_format::none) return std::string{data};
  const int bits = format == compression_format::gzip_or_zlib ? MAX_WBITS + 16 : window_bits(format);
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error{"zlib deflateInit2 failed"};
  std::string output(deflateBound(&stream, static_cast<uLong>(data.size())) + 32, '\0');
  stream.next_in = input_bytes(data);
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(output.data());
  stream.avail_out = static_cast<uInt>(output.size());
  const int status = deflate(&stream, Z_FINISH);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error{"zlib deflate did not finish"};
  output.resize(stream.total_out);
  return output;
}

std::string_view to_string(compression_format value) noexcept {
  switch (value) {
    case compression_format::none: return "none";
    case compression_format::gzip: return "gzip";
    case compression_format::zlib: return "zlib";
    case compression_format::raw_deflate: return "raw_deflate";
    case compression_format::gzip_or_zlib: return "gzip_or_zlib";
  }
  return "unknown";
}

} // namespace tern::net
