//go:build tools

// Package tools pins the commands this module builds; test/cluster/build.sh
// runs `go build k8s.io/kubernetes/cmd/kube-apiserver` and `.../cmd/kubectl`.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
