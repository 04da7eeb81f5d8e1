/** Register-description compiler (placeholder until the generator lands). */
package regsgen;
