//go:build tools

// Package tools pins the commands this module builds; test/cluster/build.sh
// runs `go build k8s.io/kubernetes/cmd/kube-apiserver`, `.../cmd/kubectl` and
// `.../cmd/kube-controller-manager` (garbage collection, namespace deletion, Deployments for test/argocd).
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
