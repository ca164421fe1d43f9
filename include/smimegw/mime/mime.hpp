// mime — RFC 5322 / RFC 2045–2047 / RFC 2231 parse and build for the gateway.
//
// Owns: a parser that keeps exact byte ranges of every entity, header block, body, boundary
// delimiter, preamble and epilogue of the ORIGINAL bytes (verification hashes what was received:
// RFC 8551 §3.1.1, canonical CRLF); transfer/charset/RFC 2047 decoding; address lists; builders
// for canonical, 7-bit-safe leaf, multipart/signed and application/pkcs7-mime entities; the
// outer-header/content split of RFC 8551 §3.1; label marking of text parts.
// Flow: parse() → Message (ranges) → decode_* / canonical_crlf / split_outer → build_* / mark.
// Failure semantics: expected failures are core::Error values with codes from error_codes.hpp;
// the parser never throws on input and is bounded by Limits. Structure: own parser (see
// docs/mime.md); GMime is used only for charset conversion and address lists.
#pragma once

#include "smimegw/mime/address_list.hpp"
#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/charset.hpp"
#include "smimegw/mime/encoded_words.hpp"
#include "smimegw/mime/entity_builder.hpp"
#include "smimegw/mime/error_codes.hpp"
#include "smimegw/mime/header_edit.hpp"
#include "smimegw/mime/marking.hpp"
#include "smimegw/mime/outer_split.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/mime/part_content.hpp"
#include "smimegw/mime/seven_bit.hpp"
#include "smimegw/mime/smime_entities.hpp"
#include "smimegw/mime/transfer_encoding.hpp"
