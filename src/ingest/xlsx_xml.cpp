#include "ingest/xlsx_xml.h"

#include <expat.h>
#include <fmt/format.h>

#include <algorithm>
#include <climits>

namespace pingan::ingest {

std::string_view local_name(std::string_view qualified) {
  size_t colon = qualified.rfind(':');
  return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

std::optional<std::string_view> XmlAttrs::get(std::string_view name) const {
  for (const char** a = attrs_; a != nullptr && a[0] != nullptr; a += 2)
    if (local_name(a[0]) == name) return std::string_view(a[1]);
  return std::nullopt;
}

void XmlHandler::fail(Error error) {
  if (error_) return;  // the first error is the one to report
  error_ = std::move(error);
  if (parser_ != nullptr) XML_StopParser(static_cast<XML_Parser>(parser_), XML_FALSE);
}

long XmlHandler::line() const {
  return parser_ == nullptr
             ? 0
             : static_cast<long>(XML_GetCurrentLineNumber(static_cast<XML_Parser>(parser_)));
}

// What parse_xml() and its expat callbacks reach inside a handler.
struct XmlParseAccess {
  static void begin(XmlHandler& h, XML_Parser parser) {
    h.parser_ = parser;
    h.error_.reset();
  }
  static void finish(XmlHandler& h) { h.parser_ = nullptr; }
  static const std::optional<Error>& error(const XmlHandler& h) { return h.error_; }
  static void fail(XmlHandler& h, Error e) { h.fail(std::move(e)); }
};

namespace {

struct ParseContext {
  XmlHandler* handler;
  std::string_view label, part;
  XML_Parser parser;
};

void XMLCALL start_element(void* data, const XML_Char* name, const XML_Char** attrs) {
  auto* ctx = static_cast<ParseContext*>(data);
  ctx->handler->on_start(local_name(name), XmlAttrs(attrs));
}
void XMLCALL end_element(void* data, const XML_Char* name) {
  static_cast<ParseContext*>(data)->handler->on_end(local_name(name));
}
void XMLCALL character_data(void* data, const XML_Char* text, int len) {
  static_cast<ParseContext*>(data)->handler->on_text(
      std::string_view(text, static_cast<size_t>(len)));
}
void XMLCALL start_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  auto* ctx = static_cast<ParseContext*>(data);
  XmlParseAccess::fail(
      *ctx->handler,
      Error::invalid(std::string(ctx->label),
                     fmt::format("{}, XML line {}: a DOCTYPE is not allowed in a workbook part",
                                 ctx->part, XML_GetCurrentLineNumber(ctx->parser))));
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

Status parse_xml(std::string_view label, std::string_view part, std::string_view xml,
                 XmlHandler& handler) {
  XML_Parser parser = XML_ParserCreate(nullptr);
  if (parser == nullptr) return Error::internal("expat: cannot create a parser");
  ParseContext ctx{&handler, label, part, parser};
  XmlParseAccess::begin(handler, parser);
  XML_SetUserData(parser, &ctx);
  XML_SetElementHandler(parser, start_element, end_element);
  XML_SetCharacterDataHandler(parser, character_data);
  XML_SetStartDoctypeDeclHandler(parser, start_doctype);

  Status result;
  // Expat takes an int length: big parts go in pieces.
  constexpr size_t kChunk = 1 << 24;
  size_t pos = 0;
  for (bool last = false; !last;) {
    size_t n = std::min(kChunk, xml.size() - pos);
    last = pos + n == xml.size();
    if (XML_Parse(parser, xml.data() + pos, static_cast<int>(n), last ? XML_TRUE : XML_FALSE) ==
        XML_STATUS_ERROR) {
      if (XmlParseAccess::error(handler)) {
        result = *XmlParseAccess::error(handler);
      } else {
        result = Error::invalid(
            std::string(label),
            fmt::format("{}, XML line {}: {}", part, XML_GetCurrentLineNumber(parser),
                        XML_ErrorString(XML_GetErrorCode(parser))));
      }
      break;
    }
    pos += n;
  }
  if (result.ok() && XmlParseAccess::error(handler)) result = *XmlParseAccess::error(handler);
  XmlParseAccess::finish(handler);
  XML_ParserFree(parser);
  return result;
}

std::string decode_excel_escapes(std::string_view text) {
  if (text.find("_x") == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_' && i + 6 < text.size() && text[i + 1] == 'x' && text[i + 6] == '_') {
      int d[4] = {hex_digit(text[i + 2]), hex_digit(text[i + 3]), hex_digit(text[i + 4]),
                  hex_digit(text[i + 5])};
      if (d[0] >= 0 && d[1] >= 0 && d[2] >= 0 && d[3] >= 0) {
        unsigned cp = static_cast<unsigned>((d[0] << 12) | (d[1] << 8) | (d[2] << 4) | d[3]);
        // Surrogate halves are not characters on their own: keep the text.
        if (cp < 0xD800 || cp > 0xDFFF) {
          append_utf8(out, cp);
          i += 6;
          continue;
        }
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace pingan::ingest
