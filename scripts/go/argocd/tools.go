//go:build tools

// Package tools pins the command this module builds: scripts/go/build-tool.sh argocd.
package tools

import _ "github.com/argoproj/argo-cd/v2/cmd"
