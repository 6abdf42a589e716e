"""What a release holds, and how it is written up: checklists, notes, rendering."""
