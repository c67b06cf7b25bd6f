//go:build tools

// Package tools pins np-guard's netpol-analyzer CLI (k8snetpolicy), the independent static NetworkPolicy
// oracle of test/enforce/ and the "Connectivity" section of `npm run diff`.
package tools

import _ "github.com/np-guard/netpol-analyzer/cmd/netpolicy"
