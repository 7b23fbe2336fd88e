package main

// Scaffolding for the CLI owner of link, addr and batch: delete this file when
// link.go, addr.go, batch.go and resources.go define these.

import "errors"

type resources struct{}

func (r *resources) close() {}

func doAddr(e *env, a *words) error { return errors.New("addr: not yet") }

func doLink(e *env, a *words) error { return errors.New("link: not yet") }

func runBatch(e *env, file string) error { return errors.New("batch: not yet") }
