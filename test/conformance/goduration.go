// goduration: Go's own time.ParseDuration and Duration.String, for duration_test.sh to compare
// rollout-pace's port with. Reads lines "parse TEXT" or "string NANOSECONDS"; prints one line each:
// "ok NANOSECONDS", "error", or the duration's text.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		line := in.Text()
		switch {
		case strings.HasPrefix(line, "parse "):
			d, err := time.ParseDuration(line[6:])
			if err != nil {
				fmt.Fprintln(out, "error")
			} else {
				fmt.Fprintln(out, "ok", int64(d))
			}
		case strings.HasPrefix(line, "string "):
			n, _ := strconv.ParseInt(line[7:], 10, 64)
			fmt.Fprintln(out, time.Duration(n).String())
		}
	}
}
