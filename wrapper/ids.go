package wrapper

import "fmt"

// checkID refuses IDs that cannot name a resource: empty, "." and "..". Any other
// string is sent as exactly one escaped path segment by the generated code, so "a/b"
// stays one segment ("a%2Fb").
func checkID(kind, id string) error {
	switch id {
	case "":
		return fmt.Errorf("%w: the %s ID is empty", ErrInvalidID, kind)
	case ".", "..":
		return fmt.Errorf("%w: the %s ID %q is a dot segment, which would change the request path", ErrInvalidID, kind, id)
	}
	return nil
}
