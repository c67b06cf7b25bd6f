//go:build tools

// Package tools pins kube-router, whose network-policy controller enforces dist/'s NetworkPolicies on the
// network-namespace pods of test/enforce/.
package tools

import _ "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router"
