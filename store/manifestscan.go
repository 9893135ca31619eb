package store

import (
	"strconv"
	"strings"
)

// topLevelFields reads the string, number and boolean values of the named
// top-level keys of a JSON object, skipping everything else, without
// encoding/json: the go shim reads an imported SDK's GOROOT from its
// manifest on every run, and decoding through reflection costs it most of
// a millisecond. Values are returned as written (strings unquoted). ok is
// false when data is not a well-formed object as far as it was read.
func topLevelFields(data []byte, keys ...string) (map[string]string, bool) {
	out := make(map[string]string, len(keys))
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, false
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return out, true
	}
	for i < len(data) {
		key, j, ok := jsonString(data, i)
		if !ok {
			return nil, false
		}
		i = skipSpace(data, j)
		if i >= len(data) || data[i] != ':' {
			return nil, false
		}
		i = skipSpace(data, i+1)
		start := i
		var val string
		if i < len(data) && data[i] == '"' {
			val, i, ok = jsonString(data, i)
		} else {
			i, ok = skipValue(data, i)
			val = string(data[start:i])
		}
		if !ok {
			return nil, false
		}
		for _, k := range keys {
			if k == key {
				out[k] = val
			}
		}
		i = skipSpace(data, i)
		if i >= len(data) {
			return nil, false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			return out, true
		default:
			return nil, false
		}
	}
	return nil, false
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// jsonString reads the string starting at data[i] (a quote) and returns it
// unquoted and the index after it.
func jsonString(data []byte, i int) (string, int, bool) {
	if i >= len(data) || data[i] != '"' {
		return "", i, false
	}
	escaped := false
	for j := i + 1; j < len(data); j++ {
		switch c := data[j]; {
		case c == '\\':
			j++
			escaped = true
		case c == '"':
			raw := string(data[i : j+1])
			if !escaped {
				return raw[1 : len(raw)-1], j + 1, true
			}
			// JSON's \/ is not Go's; everything else json.Marshal
			// writes (\", \\, \n, \u00e9, \u2028) unquotes alike.
			s, err := strconv.Unquote(strings.ReplaceAll(raw, `\/`, "/"))
			return s, j + 1, err == nil
		case c < 0x20:
			return "", j, false
		}
	}
	return "", len(data), false
}

// skipValue skips a non-string value (object, array, number, literal)
// starting at data[i], keeping count of nesting and strings inside it.
func skipValue(data []byte, i int) (int, bool) {
	depth := 0
	for i < len(data) {
		switch c := data[i]; c {
		case '"':
			_, j, ok := jsonString(data, i)
			if !ok {
				return i, false
			}
			i = j
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i, true
			}
			depth--
		case ',':
			if depth == 0 {
				return i, true
			}
		}
		i++
		if depth == 0 && i < len(data) && (data[i] == ',' || data[i] == '}') {
			return i, true
		}
	}
	return i, depth == 0
}
