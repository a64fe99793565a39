"""The command lines behind the Makefile: thin wrappers that parse argv and call the contract
package, which knows nothing of argv."""
