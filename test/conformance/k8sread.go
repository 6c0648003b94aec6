// k8sread reads manifest streams the way kubectl and Helm do, and compares two of them.
//
// Splitting follows k8s.io/apimachinery/pkg/util/yaml YAMLReader: lines are read with bufio's
// ReadLine (which drops "\r\n" and "\n") and written back with "\n"; a line that starts with
// "---" and has only blanks or a comment after it ends a document. Each document is converted
// to JSON by sigs.k8s.io/yaml's ancestor ghodss/yaml on go-yaml v2 (YAML 1.1 rules, merge keys
// resolved, the last of duplicate keys winning), and empty documents are skipped, as kubectl does.
// A stream that starts with "{" is read as JSON, value after value (YAMLOrJSONDecoder).
//
//	k8sread show FILE                      print each document as JSON, one per line
//	k8sread compare IN OUT [SURGE UNAVAILABLE MINREADY]
//	    OUT must hold the same documents as IN, except for the rollout fields of workloads
//	    (Deployment, DaemonSet, StatefulSet, Argo Rollout; each kind's own fields); with the values,
//	    every eligible Deployment of OUT must carry them. Exit 1 and one line per difference otherwise.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"unicode"

	"github.com/ghodss/yaml"
)

func split(data []byte) ([][]byte, error) {
	r := bufio.NewReader(bytes.NewReader(data))
	var docs [][]byte
	var buf bytes.Buffer
	for {
		var line bytes.Buffer
		var err error
		for isPrefix := true; isPrefix && err == nil; {
			var part []byte
			part, isPrefix, err = r.ReadLine()
			line.Write(part)
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if err == io.EOF && line.Len() == 0 {
			break
		}
		l := line.String()
		if strings.HasPrefix(l, "---") {
			rest := strings.TrimSpace(l[3:])
			if rest == "" || strings.HasPrefix(rest, "#") {
				if buf.Len() > 0 {
					docs = append(docs, append([]byte(nil), buf.Bytes()...))
				}
				buf.Reset()
				continue
			}
		}
		buf.WriteString(l)
		buf.WriteByte('\n')
		if err == io.EOF {
			break
		}
	}
	if buf.Len() > 0 {
		docs = append(docs, buf.Bytes())
	}
	return docs, nil
}

// apimachinery's YAMLOrJSONDecoder: a stream whose first byte after blanks is "{" is JSON, decoded
// value after value for the whole stream.
func readJSON(path string, data []byte) ([]interface{}, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var out []interface{}
	for i := 1; ; i++ {
		var v interface{}
		err := dec.Decode(&v)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: JSON value %d: %v", path, i, err)
		}
		if v != nil {
			out = append(out, v)
		}
	}
}

func read(path string) ([]interface{}, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if t := bytes.TrimLeftFunc(data, unicode.IsSpace); len(t) > 0 && t[0] == '{' {
		return readJSON(path, data)
	}
	chunks, err := split(data)
	if err != nil {
		return nil, err
	}
	var out []interface{}
	for i, c := range chunks {
		js, err := yaml.YAMLToJSON(c)
		if err != nil {
			return nil, fmt.Errorf("%s: document %d: %v", path, i+1, err)
		}
		var v interface{}
		if err := json.Unmarshal(js, &v); err != nil {
			return nil, fmt.Errorf("%s: document %d: %v", path, i+1, err)
		}
		if v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

func get(v interface{}, keys ...string) interface{} {
	for _, k := range keys {
		m, ok := v.(map[string]interface{})
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

var workloadKinds = map[string]bool{"Deployment": true, "DaemonSet": true, "StatefulSet": true, "Rollout": true}

func workloads(doc interface{}) []map[string]interface{} {
	var out []map[string]interface{}
	m, ok := doc.(map[string]interface{})
	if !ok {
		return nil
	}
	kind, _ := m["kind"].(string)
	if workloadKinds[kind] {
		out = append(out, m)
	}
	if strings.HasSuffix(kind, "List") {
		items, _ := m["items"].([]interface{})
		for _, it := range items {
			d, ok := it.(map[string]interface{})
			if !ok {
				continue
			}
			// decodeToList: an item with neither kind nor apiVersion takes the list's.
			if get(d, "kind") == nil && get(d, "apiVersion") == nil {
				d["kind"] = strings.TrimSuffix(kind, "List")
				d["apiVersion"] = m["apiVersion"]
			}
			if k, _ := get(d, "kind").(string); workloadKinds[k] {
				out = append(out, d)
			} else if strings.HasSuffix(k, "List") {
				out = append(out, workloads(d)...) // FlattenListVisitor: a List among the items too
			}
		}
	}
	return out
}

// A Deployment a flag profile must reach: apps/v1, no hook, no rollout-pace annotation, not Recreate.
func eligible(d map[string]interface{}) bool {
	if get(d, "kind") != "Deployment" || get(d, "apiVersion") != "apps/v1" || get(d, "spec", "strategy", "type") == "Recreate" {
		return false
	}
	ann, _ := get(d, "metadata", "annotations").(map[string]interface{})
	for k := range ann {
		if k == "helm.sh/hook" || strings.HasPrefix(k, "rollout-pace/") {
			return false
		}
	}
	return true
}

// Removes the fields rollout-pace may write for the workload's kind; what is left must be equal.
func strip(d map[string]interface{}) {
	spec, ok := d["spec"].(map[string]interface{})
	if !ok {
		return
	}
	delete(spec, "minReadySeconds")
	switch get(d, "kind") {
	case "Deployment":
		delete(spec, "progressDeadlineSeconds")
		delete(spec, "strategy")
	case "Rollout":
		delete(spec, "progressDeadlineSeconds")
		if canary, ok := get(spec, "strategy", "canary").(map[string]interface{}); ok {
			delete(canary, "maxSurge")
			delete(canary, "maxUnavailable")
		}
	default: // DaemonSet, StatefulSet: the partition and the rest of updateStrategy must stay
		if us, ok := spec["updateStrategy"].(map[string]interface{}); ok {
			delete(us, "type")
			if ru, ok := us["rollingUpdate"].(map[string]interface{}); ok {
				delete(ru, "maxSurge")
				delete(ru, "maxUnavailable")
				if len(ru) == 0 {
					delete(us, "rollingUpdate")
				}
			}
			if len(us) == 0 {
				delete(spec, "updateStrategy")
			}
		}
	}
}

// intOrString as JSON gives it: a number for "1", a string for "25%".
func intOrString(s string) interface{} {
	if strings.HasSuffix(s, "%") {
		return s
	}
	var f float64
	fmt.Sscan(s, &f)
	return f
}

func main() {
	if len(os.Args) >= 3 && os.Args[1] == "show" {
		docs, err := read(os.Args[2])
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		for _, d := range docs {
			js, _ := json.Marshal(d)
			fmt.Println(string(js))
		}
		return
	}
	if len(os.Args) != 4 && len(os.Args) != 7 || os.Args[1] != "compare" {
		fmt.Fprintln(os.Stderr, "usage: k8sread show FILE | k8sread compare IN OUT [SURGE UNAVAILABLE MINREADY]")
		os.Exit(2)
	}
	in, err := read(os.Args[2])
	if err != nil {
		fmt.Println("input not readable by Kubernetes (nothing to compare):", err)
		os.Exit(3)
	}
	out, err := read(os.Args[3])
	if err != nil {
		fmt.Println("output not readable by Kubernetes:", err)
		os.Exit(1)
	}
	if len(in) != len(out) {
		fmt.Printf("Kubernetes reads %d documents in the input and %d in the output\n", len(in), len(out))
		os.Exit(1)
	}
	failed := false
	for i := range in {
		din, dout := workloads(in[i]), workloads(out[i])
		if len(din) != len(dout) {
			fmt.Printf("document %d: %d workloads in, %d out\n", i+1, len(din), len(dout))
			failed = true
			continue
		}
		for k := range din {
			if len(os.Args) == 7 && eligible(din[k]) {
				want := map[string]interface{}{
					"minReadySeconds": intOrString(os.Args[6]),
					"type":            "RollingUpdate",
					"maxSurge":        intOrString(os.Args[4]),
					"maxUnavailable":  intOrString(os.Args[5]),
				}
				got := map[string]interface{}{
					"minReadySeconds": get(dout[k], "spec", "minReadySeconds"),
					"type":            get(dout[k], "spec", "strategy", "type"),
					"maxSurge":        get(dout[k], "spec", "strategy", "rollingUpdate", "maxSurge"),
					"maxUnavailable":  get(dout[k], "spec", "strategy", "rollingUpdate", "maxUnavailable"),
				}
				if !reflect.DeepEqual(want, got) {
					fmt.Printf("document %d: Deployment %v: want %v, Kubernetes reads %v\n", i+1, get(din[k], "metadata", "name"), want, got)
					failed = true
				}
			}
			strip(din[k])
			strip(dout[k])
		}
		// A KRM function's ResourceList gains results: its report, not one of the resources.
		if m, ok := out[i].(map[string]interface{}); ok && m["kind"] == "ResourceList" {
			delete(m, "results")
			// The spec's output has items: a list given none gets an empty one.
			if mi, ok := in[i].(map[string]interface{}); ok && mi["items"] == nil {
				if items, ok := m["items"].([]interface{}); ok && len(items) == 0 {
					delete(m, "items")
				}
			}
		}
		if !reflect.DeepEqual(in[i], out[i]) {
			a, _ := json.Marshal(in[i])
			b, _ := json.Marshal(out[i])
			fmt.Printf("document %d differs beyond the rollout fields:\n  in:  %.300s\n  out: %.300s\n", i+1, a, b)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}
