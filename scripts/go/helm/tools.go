//go:build tools

// Package tools pins helm's command so go.mod/go.sum record its exact module graph.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
