package io.github.observe4j.langfuse.internal.json;

import com.fasterxml.jackson.annotation.JsonFormat;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.jsontype.TypeSerializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.Serializers;
import tools.jackson.databind.ser.ValueSerializerModifier;
import tools.jackson.databind.ser.bean.BeanSerializerBase;
import tools.jackson.databind.ser.jdk.IterableSerializer;
import tools.jackson.databind.type.ArrayType;
import tools.jackson.databind.type.CollectionType;
import tools.jackson.databind.type.MapType;

/**
 * Puts the {@link StructureLimits} into a Jackson mapper: the bounded serializers for
 * collections, maps and arrays in place of Jackson's own, and every bean serializer wrapped to
 * stop at the depth limit and at cycles. {@code byte[]} and {@code char[]} stay with Jackson,
 * whose output the {@link BoundedGenerator} bounds.
 */
final class BoundedSerializers extends Serializers.Base {

	private final BoundedCollectionSerializer collections;

	private final BoundedMapSerializer maps;

	private final BoundedArraySerializer arrays;

	private BoundedSerializers(StructureLimits limits) {
		this.collections = new BoundedCollectionSerializer(limits.maxItems());
		this.maps = new BoundedMapSerializer(limits);
		this.arrays = new BoundedArraySerializer(limits.maxItems());
	}

	/**
	 * Return a module that applies the limits.
	 * @param limits the limits
	 * @return the module
	 */
	static SimpleModule module(StructureLimits limits) {
		BoundedSerializers serializers = new BoundedSerializers(limits);
		return new SimpleModule("langfuse-structure-limits") {

			@Override
			public void setupModule(SetupContext context) {
				super.setupModule(context);
				context.addSerializers(serializers);
				context.addSerializerModifier(new BeanWrapper());
			}

		};
	}

	@Override
	public ValueSerializer<?> findCollectionSerializer(SerializationConfig config, CollectionType type,
			BeanDescription.Supplier beanDescRef, JsonFormat.Value formatOverrides,
			@Nullable TypeSerializer elementTypeSerializer, @Nullable ValueSerializer<Object> elementValueSerializer) {
		return this.collections;
	}

	@Override
	public ValueSerializer<?> findMapSerializer(SerializationConfig config, MapType type,
			BeanDescription.Supplier beanDescRef, JsonFormat.Value formatOverrides, @Nullable ValueSerializer<Object> keySerializer,
			@Nullable TypeSerializer elementTypeSerializer, @Nullable ValueSerializer<Object> elementValueSerializer) {
		return this.maps;
	}

	@Override
	public @Nullable ValueSerializer<?> findArraySerializer(SerializationConfig config, ArrayType type,
			BeanDescription.Supplier beanDescRef, JsonFormat.Value formatOverrides,
			@Nullable TypeSerializer elementTypeSerializer, @Nullable ValueSerializer<Object> elementValueSerializer) {
		Class<?> elementType = type.getContentType().getRawClass();
		return (elementType == byte.class || elementType == char.class) ? null : this.arrays;
	}

	/**
	 * Wraps the serializer of every bean and record, and replaces Jackson's for an
	 * {@link Iterable} that is not a collection (a lambda over a stream, a generator, a lazy
	 * view): it would read the whole value, perhaps without end, and may be the one read its
	 * owner gets.
	 */
	private static final class BeanWrapper extends ValueSerializerModifier {

		private final OneShotValueSerializer oneShot = new OneShotValueSerializer();

		@Override
		public ValueSerializer<?> modifySerializer(SerializationConfig config, BeanDescription.Supplier beanDesc,
				ValueSerializer<?> serializer) {
			if (serializer instanceof IterableSerializer) {
				return this.oneShot;
			}
			return (serializer instanceof BeanSerializerBase) ? new BoundedBeanSerializer(serializer) : serializer;
		}

	}

}
